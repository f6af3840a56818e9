import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BuildCacheKeys } from './build-cache-key.js';
import type { SeedBuild } from './build-cache-seed.js';
import { BuildCaches, type CachedRuntime } from './build-cache.js';
import { SeedBackoff } from './seed-backoff.js';

describe('build caches of compiled runtimes', () => {
  let base: string;
  let runtimeDir: string;
  let toolchain: string;
  let runtime: CachedRuntime;

  before(async () => {
    base = await mkdtemp(join(tmpdir(), 'plinth-build-cache-'));
    runtimeDir = join(base, 'runtime');
    toolchain = join(base, 'rustc');
    await mkdir(join(runtimeDir, 'seed'), { recursive: true });
    await writeFile(join(runtimeDir, 'build.sh'), 'cargo build\n');
    await writeFile(join(runtimeDir, 'seed', 'lib.rs'), 'pub fn seed() {}\n');
    await writeFile(toolchain, 'rustc 1.85\n');
    runtime = { key: 'rust', name: 'Rust', version: '1.85', buildCache: { seed: 'seed', toolchain: [toolchain], name: 'crate cache' } };
  });
  after(async () => {
    await rm(base, { recursive: true, force: true });
  });

  /** A seed build that fails until told otherwise, counting its runs. */
  function fakeSeed() {
    const state = { runs: 0, succeed: false };
    const seed: SeedBuild = async ({ dir }) => {
      state.runs++;
      if (!state.succeed) return { ok: false, reason: 'the seed build exited with code 101: error: linker `cc` not found' };
      await mkdir(dir, { recursive: true });
      return { ok: true };
    };
    return { state, seed };
  }

  it('a failed seed build is not tried again before its back-off ends, which doubles, and the build log says why', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const caches = new BuildCaches(new SeedBackoff(() => now));
    const root = join(base, 'caches-backoff');
    const { state, seed } = fakeSeed();
    const build = async () => {
      const lines: string[] = [];
      const dir = await caches.prepare({ root, runtime, runtimeDir, seed, log: (line) => lines.push(line) });
      return { dir, log: lines.join('\n') };
    };

    const first = await build();
    assert.equal(first.dir, undefined);
    assert.equal(state.runs, 1);
    assert.match(first.log, /Compiling the crate cache/);
    assert.match(first.log, /The crate cache could not be compiled \(the seed build exited with code 101: error: linker `cc` not found\); this build compiles its own\./);

    now += 30_000;
    const skipped = await build();
    assert.equal(skipped.dir, undefined);
    assert.equal(state.runs, 1, 'within the first minute the seed is not built again');
    assert.match(skipped.log, /The crate cache is skipped: compiling it failed once, last because the seed build exited with code 101/);
    assert.match(skipped.log, /tried again after 2030-01-01T00:01:00\.000Z\. This build compiles its own\./);

    now += 31_000;
    await build();
    assert.equal(state.runs, 2, 'after a minute the seed is tried again');
    now += 90_000;
    assert.match((await build()).log, /failed 2 times.*after 2030-01-01T00:03:01\.000Z/);
    assert.equal(state.runs, 2, 'the second failure holds the seed back two minutes');

    now += 31_000;
    state.succeed = true;
    const ready = await build();
    assert.ok(ready.dir?.startsWith(join(root, 'rust-')));
    assert.equal(state.runs, 3);
    assert.equal((await build()).dir, ready.dir, 'a made cache is used without seeding');
    assert.equal(state.runs, 3);
  });

  it('a new cache key (a changed toolchain) is tried at once, whatever the previous key’s back-off', async () => {
    const caches = new BuildCaches(new SeedBackoff());
    const root = join(base, 'caches-key-change');
    const { state, seed } = fakeSeed();
    const build = () => caches.prepare({ root, runtime, runtimeDir, seed, log: () => {} });
    await build();
    await build();
    assert.equal(state.runs, 1);
    await writeFile(toolchain, 'rustc 1.86, upgraded\n');
    await build();
    assert.equal(state.runs, 2);
  });

  it('builds waiting at once share one seed build', async () => {
    const caches = new BuildCaches(new SeedBackoff());
    const root = join(base, 'caches-shared');
    const { state, seed } = fakeSeed();
    state.succeed = true;
    const dirs = await Promise.all([1, 2, 3].map(() => caches.prepare({ root, runtime, runtimeDir, seed, log: () => {} })));
    assert.equal(state.runs, 1);
    assert.equal(new Set(dirs).size, 1);
  });

  it('the runtime’s files are read and hashed once per process; the toolchain is looked at on every build', async () => {
    const keys = new BuildCacheKeys();
    const source = { key: 'rust', version: '1.85', runtimeDir, toolchain: [toolchain] };
    const first = await keys.keyOf(source);
    await writeFile(join(runtimeDir, 'build.sh'), 'cargo build --release\n');
    assert.equal(await keys.keyOf(source), first, 'a change to the runtime’s files is not read again');
    assert.notEqual(await new BuildCacheKeys().keyOf(source), first, 'a new process reads the changed files');
    await writeFile(toolchain, 'rustc 1.87, upgraded again\n');
    assert.notEqual(await keys.keyOf(source), first, 'a changed toolchain makes a new key');
  });
});
