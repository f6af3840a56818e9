import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { FRAMEWORKS } from './frameworks.js';
import { productionPackages, ssrServerFiles, ssrServerTree } from './ssr-server-files.js';

const trees: string[] = [];

/** A built tree with the files given (a path ending in `/` is an empty folder). */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'plinth-ssr-tree-'));
  trees.push(root);
  for (const [path, content] of Object.entries(files)) {
    if (path.endsWith('/')) mkdirSync(join(root, path), { recursive: true });
    else {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    }
  }
  return root;
}

/** Every file under the folder, relative to it, sorted. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

function startCommandOf(framework: string): string {
  return FRAMEWORKS.find((candidate) => candidate.key === framework)!.adapters.find((adapter) => adapter.key === 'ssr')!.startCommand!;
}

const lockfile = (packages: Record<string, { dev?: boolean; link?: boolean }>) => JSON.stringify({ lockfileVersion: 3, packages: { '': {}, ...packages } });

afterEach(() => {
  for (const root of trees.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('what a server-rendered build keeps', () => {
  test("Next.js's standalone output keeps its server, .next/static and public: no sources, top-level packages or build cache", async () => {
    const root = tree({
      'package.json': '{}',
      'app/page.js': '',
      'node_modules/next/package.json': '{}',
      '.next/standalone/server.js': '',
      '.next/standalone/node_modules/next/package.json': '{}',
      '.next/static/chunks/main.js': '',
      '.next/cache/webpack/big.pack': '',
      '.next/server/app/page.js': '',
      'public/hello.txt': '',
    });
    const kept = await ssrServerTree(root, 'nextjs', startCommandOf('nextjs'));
    assert.deepEqual(filesUnder(kept), ['.next/standalone/node_modules/next/package.json', '.next/standalone/server.js', '.next/static/chunks/main.js', 'public/hello.txt']);
  });

  test('Next.js without standalone output keeps what `next start` reads, all but the build cache', async () => {
    const root = tree({ 'package.json': '{}', 'next.config.mjs': '', 'node_modules/.bin/next': '', '.next/BUILD_ID': 'x', '.next/server/app/page.js': '', '.next/cache/images/a.webp': '' });
    assert.deepEqual(await ssrServerFiles(root, 'nextjs', startCommandOf('nextjs')), ['next.config.mjs', 'node_modules', 'package.json', '.next/BUILD_ID', '.next/server']);
    assert.deepEqual(filesUnder(await ssrServerTree(root, 'nextjs', startCommandOf('nextjs'))), ['.next/BUILD_ID', '.next/server/app/page.js', 'next.config.mjs', 'node_modules/.bin/next', 'package.json']);
  });

  test('Next.js picks its standalone server when the build made one, else `next start`', () => {
    const bin = { 'node_modules/.bin/next': '#!/bin/sh\necho "next $1"\n' };
    const plain = tree(bin);
    chmodSync(join(plain, 'node_modules/.bin/next'), 0o755);
    assert.equal(execFileSync('/bin/sh', ['-c', startCommandOf('nextjs')], { cwd: plain, encoding: 'utf8' }), 'next start\n');
    const standalone = tree({ ...bin, '.next/standalone/server.js': "console.log('standalone');\n" });
    chmodSync(join(standalone, 'node_modules/.bin/next'), 0o755);
    assert.equal(execFileSync('/bin/sh', ['-c', startCommandOf('nextjs')], { cwd: standalone, encoding: 'utf8', env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` } }), 'standalone\n');
  });

  test("Nuxt keeps .output, its server with the packages it uses", async () => {
    const root = tree({ 'package.json': '{}', 'app/app.vue': '', 'node_modules/nuxt/package.json': '{}', '.nuxt/types.d.ts': '', '.output/server/index.mjs': '', '.output/public/_nuxt/a.js': '' });
    assert.deepEqual(filesUnder(await ssrServerTree(root, 'nuxt', startCommandOf('nuxt'))), ['.output/public/_nuxt/a.js', '.output/server/index.mjs']);
  });

  test('SvelteKit and Astro keep their build folder, package.json and production packages, not development ones', async () => {
    const packages = {
      'node_modules/kept/package.json': '{}',
      'node_modules/kept/node_modules/inner/package.json': '{}',
      'node_modules/@scope/kept/package.json': '{}',
      'node_modules/vite/package.json': '{}',
      'node_modules/.bin/vite': '',
      'package-lock.json': lockfile({
        'node_modules/kept': {},
        'node_modules/kept/node_modules/inner': {},
        'node_modules/@scope/kept': {},
        'node_modules/vite': { dev: true },
        'node_modules/not-installed': {},
      }),
    };
    const production = ['node_modules/@scope/kept/package.json', 'node_modules/kept/node_modules/inner/package.json', 'node_modules/kept/package.json'];
    const svelte = tree({ ...packages, 'package.json': '{}', 'src/routes/+page.svelte': '', 'build/index.js': '', 'build/client/a.js': '', '.svelte-kit/output/x.js': '' });
    assert.deepEqual(filesUnder(await ssrServerTree(svelte, 'sveltekit', startCommandOf('sveltekit'))), ['build/client/a.js', 'build/index.js', ...production, 'package.json']);
    const astro = tree({ ...packages, 'package.json': '{}', 'src/pages/index.astro': '', 'dist/server/entry.mjs': '', 'dist/client/a.js': '' });
    assert.deepEqual(filesUnder(await ssrServerTree(astro, 'astro', startCommandOf('astro'))), ['dist/client/a.js', 'dist/server/entry.mjs', ...production, 'package.json']);
  });

  test('only development packages leave nothing of node_modules; no lockfile or linked packages keep all of it', async () => {
    assert.deepEqual(await productionPackages(tree({ 'node_modules/vite/package.json': '{}', 'package-lock.json': lockfile({ 'node_modules/vite': { dev: true } }) })), []);
    assert.deepEqual(await productionPackages(tree({ 'node_modules/vite/package.json': '{}' })), ['node_modules']);
    assert.deepEqual(await productionPackages(tree({ 'node_modules/a/package.json': '{}', 'package-lock.json': lockfile({ 'node_modules/a': { link: true } }) })), ['node_modules']);
    // npm's own copy in node_modules serves when the project has none.
    assert.deepEqual(await productionPackages(tree({ 'node_modules/a/package.json': '{}', 'node_modules/.package-lock.json': lockfile({ 'node_modules/a': {} }) })), ['node_modules/a']);
    assert.deepEqual(await productionPackages(tree({ 'package.json': '{}' })), []);
  });

  test("nothing outside the tree moves, whatever the site's lockfile names or its links lead to", async () => {
    const outside = tree({ 'secret/package.json': '{}', 'linked/inner/package.json': '{}' });
    const root = tree({
      'package.json': '{}',
      'build/index.js': '',
      'node_modules/ok/package.json': '{}',
      'package-lock.json': lockfile({ 'node_modules/ok': {}, [`node_modules/../../${relative(tmpdir(), outside)}/secret`]: {}, 'node_modules/link/inner': {} }),
    });
    symlinkSync(join(outside, 'linked'), join(root, 'node_modules/link'));
    const kept = await ssrServerTree(root, 'sveltekit', startCommandOf('sveltekit'));
    assert.deepEqual(filesUnder(kept), ['build/index.js', 'node_modules/ok/package.json', 'package.json']);
    assert.ok(existsSync(join(outside, 'secret/package.json')) && existsSync(join(outside, 'linked/inner/package.json')));
  });

  test("a start command of the site's own, or a framework without a known set, keeps the whole tree", async () => {
    const root = tree({ 'build/index.js': '', 'server.mjs': '' });
    assert.equal(await ssrServerFiles(root, 'sveltekit', 'node server.mjs'), undefined);
    assert.equal(await ssrServerTree(root, 'sveltekit', 'node server.mjs'), root);
    assert.equal(await ssrServerFiles(root, 'remix', ''), undefined);
  });
});
