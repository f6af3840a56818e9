import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Locale } from 'node-appwrite';
import { apiKeyScopes } from '../../src/core/scopes.js';
import { openDatabase } from '../../src/data/open-database.js';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';

describe('plinth CLI beside a running server', () => {
  let server: TestServer;

  before(async () => {
    // A process of its own: these tests read the server's files byte by byte (closing a file
    // in the server's process would drop SQLite's locks on it) and kill it with SIGKILL.
    server = await TestServer.start({ process: true });
  });
  after(() => server.stop());

  it('lists every route as JSON, and nothing else on stdout', async () => {
    const result = await server.cliProcess(['routes', '--json']);
    assert.equal(result.code, 0);
    const routes = JSON.parse(result.stdout) as { method: string; path: string }[];
    assert.ok(routes.some((r) => r.method === 'GET' && r.path === '/v1/locale/countries'));
    assert.ok(routes.some((r) => r.method === 'GET' && r.path === '/v1/health/queue/failed/:name'));
    assert.ok(routes.every((r) => Object.keys(r).join() === 'method,path'));
  });

  it('creates a project that the running server serves at once', async () => {
    const project = await server.cliJson(['project', 'create', '--id', 'fresh', '--name', 'Fresh app']);
    assert.equal(project.$id, 'fresh');
    assert.equal(project.name, 'Fresh app');
    assert.match(project.$createdAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/);
    const { total } = await new Locale(sdkClient(server, 'fresh')).listContinents();
    assert.equal(total, 7);
  });

  it('lists projects, as JSON and as text', async () => {
    await server.createProject('listed', 'Listed');
    const list = await server.cliJson(['project', 'list']);
    assert.equal(list.total, list.projects.length);
    assert.ok(list.projects.some((p: { $id: string }) => p.$id === 'listed'));
    const text = await server.cliProcess(['project', 'list']);
    assert.match(text.stdout, /^listed\tListed\t/m);
  });

  it('refuses a duplicate, a malformed or a reserved project id', async () => {
    await server.createProject('twice');
    const duplicate = await server.cliProcess(['project', 'create', '--id', 'twice', '--name', 'Again', '--json']);
    assert.equal(duplicate.code, 1);
    assert.equal(duplicate.stdout, '');
    assert.match(duplicate.stderr, /project_already_exists/);
    const malformed = await server.cliProcess(['project', 'create', '--id', 'bad/id', '--name', 'Bad']);
    assert.equal(malformed.code, 1);
    assert.match(malformed.stderr, /general_argument_invalid/);
    const reserved = await server.cliProcess(['project', 'create', '--id', 'console', '--name', 'Console']);
    assert.match(reserved.stderr, /project_reserved_project/);
  });

  it('creates a key with every scope, shows its secret once and stores only a hash', async () => {
    await server.createProject('keyed');
    const key = await server.cliJson(['key', 'create', '--project', 'keyed', '--name', 'CI', '--scopes', 'all']);
    assert.match(key.secret, /^standard_[0-9a-f]{128}$/);
    assert.deepEqual(key.scopes, [...apiKeyScopes]);
    assert.equal(key.expire, '');

    const db = openDatabase({ url: server.env.PLINTH_DB, dataDir: server.dataDir });
    try {
      const rows = await db.platform.selectFrom('keys').selectAll().where('id', '=', key.$id).execute();
      assert.equal(rows.length, 1);
      assert.ok(!JSON.stringify(rows).includes(key.secret.slice('standard_'.length)));
    } finally {
      await db.close();
    }
    if (!server.env.PLINTH_DB) {
      for (const file of await readdir(server.dataDir)) {
        if (!file.startsWith('plinth.sqlite')) continue;
        const bytes = await readFile(join(server.dataDir, file));
        assert.ok(!bytes.includes(key.secret.slice('standard_'.length)), file);
      }
    }
  });

  it('creates a key with chosen scopes and an expiry', async () => {
    await server.createProject('scoped');
    const key = await server.cliJson(['key', 'create', '--project', 'scoped', '--name', 'Reader', '--scopes', 'locale.read,health.read', '--expire', '2999-12-31']);
    assert.deepEqual(key.scopes, ['locale.read', 'health.read']);
    assert.equal(key.expire, '2999-12-31T00:00:00.000+00:00');
    const text = await server.cliProcess(['key', 'create', '--project', 'scoped', '--name', 'Human', '--scopes', 'health.read']);
    assert.match(text.stdout, /shown only now/);
    assert.match(text.stdout, /^standard_[0-9a-f]+$/m);
  });

  it('refuses unknown scopes, a bad expiry, an unknown project and missing flags', async () => {
    await server.createProject('strict');
    const cases: [string[], RegExp][] = [
      [['--project', 'strict', '--name', 'k', '--scopes', 'locale.read,root.everything'], /general_argument_invalid.*|root\.everything/],
      [['--project', 'strict', '--name', 'k', '--scopes', 'all', '--expire', 'someday'], /expire/],
      [['--project', 'ghost', '--name', 'k', '--scopes', 'all'], /project_not_found/],
      [['--project', 'strict', '--scopes', 'all'], /--name is required/],
    ];
    for (const [args, expected] of cases) {
      const result = await server.cliProcess(['key', 'create', ...args, '--json']);
      assert.equal(result.code, 1, args.join(' '));
      assert.equal(result.stdout, '');
      assert.match(result.stderr, expected);
    }
  });

  it('prints usage, and fails on an unknown command or flag', async () => {
    const help = await server.cliProcess(['help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /plinth <command>/);
    assert.equal((await server.cliProcess(['launch', 'rockets'])).code, 1);
    assert.equal((await server.cliProcess(['project', 'list', '--colour'])).code, 1);
  });

  it('keeps projects and keys across a kill -9 and restart', async () => {
    await server.createProject('durable');
    const key = await server.createKey('durable', 'health.read');
    await server.kill('SIGKILL');
    await server.restart();
    const response = await server.request('/health', { project: 'durable', key });
    assert.equal(response.status, 200);
  });
});
