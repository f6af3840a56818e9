import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bwrapWorks, createBwrapSandbox } from '../../src/infra/sandbox/bwrap-sandbox.js';
import { runToEnd } from '../../src/infra/sandbox/run-to-end.js';
import { hostBuildTools } from '../../src/services/functions/build-tools.js';

describe('package managers installed outside /usr', () => {
  let home: string;
  let prefix: string;

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'plinth-tools-'));
    // The layout nvm and Node's tarballs use: <prefix>/bin/npm → ../lib/node_modules/npm/bin/npm-cli.js.
    prefix = join(home, 'node-v0');
    await mkdir(join(prefix, 'bin'), { recursive: true });
    await mkdir(join(prefix, 'lib', 'node_modules', 'npm', 'bin'), { recursive: true });
    const cli = join(prefix, 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
    await writeFile(cli, "#!/usr/bin/env node\nconsole.log('npm from ' + __filename);\n");
    await chmod(cli, 0o755);
    await symlink('../lib/node_modules/npm/bin/npm-cli.js', join(prefix, 'bin', 'npm'));
    // A stray npm in a personal bin directory pointing elsewhere: its directory is not shown.
    await mkdir(join(home, 'bin'));
    await writeFile(join(home, 'secret.txt'), 'not for builds');
    await symlink(cli, join(home, 'bin', 'npx'));
  });
  after(() => rm(home, { recursive: true, force: true }));

  test('shows only npm\'s bin directory and package, never what surrounds them', () => {
    const tools = hostBuildTools(`${join(home, 'bin')}:${join(prefix, 'bin')}:/usr/bin`);
    assert.deepEqual(tools.binDirs, [join(prefix, 'bin')]);
    assert.deepEqual(
      tools.mounts.map((mount) => [mount.host, mount.inside, mount.writable]),
      [
        [join(prefix, 'bin'), join(prefix, 'bin'), false],
        [join(prefix, 'lib', 'node_modules', 'npm'), join(prefix, 'lib', 'node_modules', 'npm'), false],
      ],
    );
    assert.deepEqual(hostBuildTools('/usr/bin:/bin'), { mounts: [], binDirs: [] }, 'a system npm is visible as it is');
  });

  test('a build in bubblewrap runs that npm by name', { skip: bwrapWorks() ? false : 'bubblewrap cannot create namespaces here' }, async () => {
    const tools = hostBuildTools(join(prefix, 'bin'));
    const outcome = await runToEnd(
      createBwrapSandbox(),
      {
        command: ['/bin/sh', '-c', `npm; cat ${join(home, 'secret.txt')} 2>/dev/null || echo hidden`],
        mounts: tools.mounts,
        cwd: '/tmp',
        env: { PATH: [...tools.binDirs, '/usr/bin', '/bin'].join(':'), HOME: '/tmp' },
        network: 'none',
        tmpSizeMb: 8,
      },
      { timeoutMs: 10_000, maxOutput: 10_000 },
    );
    assert.equal(outcome.exitCode, 0, outcome.output);
    assert.match(outcome.output, /npm from .*node_modules\/npm\/bin\/npm-cli\.js/);
    assert.match(outcome.output, /hidden/);
  });
});
