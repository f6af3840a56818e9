import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Functions, Storage, TablesDB, Teams as ProjectTeams } from 'node-appwrite';
import { generate } from 'otplib';
import { NODE_STARTER } from '../functions/fixtures.js';
import { TINY_APP } from '../sites/fixtures.js';
import { jsonOf, TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { runAppwrite, type AppwriteRun } from './appwrite-cli-run.js';
import { rawRequest } from '../functions/deploy.js';
import { consoleCookie } from './helpers.js';
import { administratorFromSetupLink, type Administrator } from './organization-helpers.js';

const PASSWORD = 'console password';

/** Every column type `push tables` creates, as `appwrite.config.json` declares them. */
const PRODUCT_COLUMNS = [
  { key: 'title', type: 'string', required: true, array: false, size: 128 },
  { key: 'tags', type: 'string', required: false, array: true, size: 32 },
  { key: 'contact', type: 'string', format: 'email', required: false, array: false },
  { key: 'homepage', type: 'string', format: 'url', required: false, array: false },
  { key: 'origin', type: 'string', format: 'ip', required: false, array: false },
  { key: 'state', type: 'string', format: 'enum', elements: ['draft', 'live'], required: false, array: false, default: 'draft' },
  { key: 'stock', type: 'integer', required: false, array: false, min: 0, max: 1000, default: 0 },
  { key: 'price', type: 'double', required: true, array: false, min: 0, max: 10000 },
  { key: 'visible', type: 'boolean', required: false, array: false, default: true },
  { key: 'releasedAt', type: 'datetime', required: false, array: false },
];

/** What `push settings` sends; `pull settings` must give back the same values. */
const PUSHED_SETTINGS = {
  services: { teams: true, graphql: false },
  auth: {
    methods: { anonymous: false, 'email-password': true },
    security: { duration: 7200, limit: 0, sessionsLimit: 7, passwordHistory: 2, passwordDictionary: true, personalDataCheck: false, sessionAlerts: false, mockNumbers: [] },
  },
};

/** The keys of `pushed` as `pulled` has them, so a pull that adds keys still compares. */
function sameKeysAs(pushed: object, pulled: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(pushed).map((key) => [key, pulled[key]]));
}

describe('the Appwrite CLI against Plinth', () => {
  let server: TestServer;
  let admin: Administrator;
  let home: string;
  let dir: string;
  let projectId = '';
  let key = '';

  const appwrite = (args: string[], answers?: { when: RegExp; send: string }[]): Promise<AppwriteRun> => runAppwrite(home, dir, args, answers);
  const succeeds = async (args: string[], expected: RegExp, answers?: { when: RegExp; send: string }[]): Promise<string> => {
    const run = await appwrite(args, answers);
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, expected);
    assert.doesNotMatch(run.output, /✗ Error/);
    return run.output;
  };
  const config = async () => JSON.parse(await readFile(join(dir, 'appwrite.config.json'), 'utf8')) as Record<string, unknown>;
  const writeConfig = async (changes: Record<string, unknown>) => {
    await writeFile(join(dir, 'appwrite.config.json'), JSON.stringify({ ...(await config()), ...changes }, null, 2));
  };

  before(async () => {
    // As a new user finds it: the default sign-up policy (closed), no administrator yet.
    server = await TestServer.start();
    home = await mkdtemp(join(tmpdir(), 'plinth-cli-home-'));
    dir = join(home, 'app');
    await mkdir(dir);
    // The first administrator comes from the setup link printed at the first start, and owns the
    // default organization: nothing to create before `init project`.
    admin = await administratorFromSetupLink(server, 'cli@example.com', PASSWORD);
  });
  after(async () => {
    await server.stop();
    await rm(home, { recursive: true, force: true });
  });

  test('login and whoami', async () => {
    const wrong = await appwrite(['login', '--endpoint', server.endpoint, '--email', admin.email, '--password', 'wrong password']);
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.output, /email or password is incorrect/);
    await succeeds(['login', '--endpoint', server.endpoint, '--email', admin.email, '--password', PASSWORD], /Successfully signed in as cli@example\.com/);
    await succeeds(['whoami'], /cli@example\.com/);
  });

  test('init project: a new project in the default organization, which the first administrator owns', async () => {
    await succeeds(['init', 'project'], /Project successfully created/, [
      { when: /How would you like to start/, send: '' },
      { when: /Default organization \(default\)/, send: '' },
      { when: /name your project/, send: 'Shop' },
      { when: /ID would you like/, send: 'shop' },
    ]);
    projectId = (await config()).projectId as string;
    assert.equal(projectId, 'shop');
    const project = await jsonOf(server.request('/projects/shop', { project: 'console', headers: { cookie: admin.cookie } }));
    assert.equal(project.teamId, 'default');
    key = await server.createKey(projectId);
  });

  test('push settings: the project name, services and auth settings through the 1.8 routes', async () => {
    await writeConfig({
      projectName: 'Shop CLI',
      settings: PUSHED_SETTINGS,
    });
    await succeeds(['push', 'settings', '--force'], /Successfully pushed all project settings/);
    const project = await jsonOf(server.request('/projects/shop', { project: 'console', headers: { cookie: admin.cookie } }));
    assert.equal(project.name, 'Shop CLI');
    assert.equal(project.authDuration, 7200);
    assert.equal(project.authSessionsLimit, 7);
    assert.equal(project.authPasswordHistory, 2);
    assert.equal(project.authAnonymous, false);
    assert.equal(project.serviceStatusForGraphql, false);
  });

  test('push tables: every column type, a relationship and indexes', async () => {
    await writeConfig({
      tablesDB: [{ $id: 'main', name: 'Main', enabled: true }],
      tables: [
        {
          $id: 'products',
          $permissions: ['read("any")'],
          databaseId: 'main',
          name: 'Products',
          enabled: true,
          rowSecurity: false,
          columns: PRODUCT_COLUMNS,
          indexes: [
            { key: 'by_title', type: 'unique', columns: ['title'], orders: ['asc'] },
            { key: 'by_price', type: 'key', columns: ['price', 'stock'], orders: ['desc', 'asc'] },
          ],
        },
        {
          $id: 'reviews',
          $permissions: [],
          databaseId: 'main',
          name: 'Reviews',
          enabled: true,
          rowSecurity: true,
          columns: [
            { key: 'body', type: 'string', required: true, array: false, size: 2000 },
            { key: 'product', type: 'relationship', relatedTable: 'products', relationType: 'manyToOne', twoWay: false, twoWayKey: 'reviews', onDelete: 'cascade', side: 'parent', required: false, array: false },
          ],
          indexes: [],
        },
      ],
    });
    await succeeds(['push', 'tables', '--all', '--force'], /Successfully pushed 2 tables/);
    const tables = new TablesDB(sdkClient(server, projectId, key));
    const columns = await tables.listColumns({ databaseId: 'main', tableId: 'products' });
    assert.deepEqual(columns.columns.map((column) => [column.key, column.status]).sort(), PRODUCT_COLUMNS.map((column) => [column.key, 'available']).sort());
    const indexes = await tables.listIndexes({ databaseId: 'main', tableId: 'products' });
    assert.deepEqual(indexes.indexes.map((index) => [index.key, index.type, index.status]).sort(), [['by_price', 'key', 'available'], ['by_title', 'unique', 'available']]);
    const reviews = await tables.listColumns({ databaseId: 'main', tableId: 'reviews' });
    assert.ok(reviews.columns.some((column) => column.key === 'product' && column.type === 'relationship'));
  });

  test('push collections through the legacy databases API', async () => {
    await writeConfig({
      databases: [{ $id: 'legacy', name: 'Legacy', enabled: true }],
      collections: [
        {
          $id: 'notes',
          $permissions: [],
          databaseId: 'legacy',
          name: 'Notes',
          enabled: true,
          documentSecurity: true,
          attributes: [{ key: 'text', type: 'string', required: true, array: false, size: 500 }],
          indexes: [{ key: 'by_text', type: 'key', attributes: ['text'], orders: ['asc'] }],
        },
      ],
    });
    await succeeds(['push', 'collections', '--all', '--force'], /Successfully pushed 1 collections/);
    const tables = new TablesDB(sdkClient(server, projectId, key));
    assert.equal((await tables.getTable({ databaseId: 'legacy', tableId: 'notes' })).name, 'Notes');
  });

  test('push buckets and teams', async () => {
    await writeConfig({
      buckets: [
        { $id: 'images', $permissions: ['read("any")'], fileSecurity: false, name: 'Images', enabled: true, maximumFileSize: 1000000, allowedFileExtensions: ['png'], compression: 'none', encryption: true, antivirus: false },
      ],
      teams: [{ $id: 'staff', name: 'Staff' }],
    });
    await succeeds(['push', 'buckets', '--all', '--force'], /Successfully pushed 1 buckets/);
    await succeeds(['push', 'teams', '--all', '--force'], /Successfully pushed 1 teams/);
    const bucket = await new Storage(sdkClient(server, projectId, key)).getBucket({ bucketId: 'images' });
    assert.deepEqual([bucket.name, bucket.maximumFileSize, bucket.allowedFileExtensions], ['Images', 1000000, ['png']]);
    assert.equal((await new ProjectTeams(sdkClient(server, projectId, key)).get({ teamId: 'staff' })).name, 'Staff');
  });

  test('push functions: an existing function gets a new deployment that builds', async () => {
    const functions = new Functions(sdkClient(server, projectId, key));
    await functions.create({ functionId: 'hello', name: 'Hello', runtime: 'node-20.0' as never, execute: ['any'], timeout: 15 });
    await writeFunction('hello');
    await writeConfig({ functions: [functionConfig('hello')] });
    const run = await appwrite(['push', 'functions', '--all', '--force']);
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /Successfully pushed 1 functions/);
    const { deployments } = await functions.listDeployments({ functionId: 'hello' });
    assert.deepEqual(deployments.map((deployment) => deployment.status), ['ready']);
    // Once the build is ready the CLI looks the function's domain up among the proxy rules.
    assert.doesNotMatch(run.output, /✗ Error/);
  });

  test('push functions: a new function, with the domain the CLI asks a rule for', async () => {
    // The CLI gives a new function a domain through proxy rules.
    await writeFunction('greet');
    await writeConfig({ functions: [functionConfig('hello'), functionConfig('greet')] });
    const output = await succeeds(['push', 'functions', '--function-id', 'greet', '--force'], /Successfully pushed 1 functions/);
    // The CLI asks for a rule on a fresh name under `_APP_DOMAIN_FUNCTIONS`, and prints it once the build is ready.
    assert.match(output, /✓ Deployed .*Greet \(greet\).*\b[0-9a-f]{20}\.functions\.localhost/);
    const { deployments } = await new Functions(sdkClient(server, projectId, key)).listDeployments({ functionId: 'greet' });
    assert.deepEqual(deployments.map((deployment) => deployment.status), ['ready']);
  });

  test('push sites: a new site with its domain, built and served there', async () => {
    for (const [path, content] of Object.entries(TINY_APP)) {
      await mkdir(join(dir, 'sites', 'tiny', path, '..'), { recursive: true });
      await writeFile(join(dir, 'sites', 'tiny', path), content);
    }
    const site = {
      $id: 'tiny',
      name: 'Tiny',
      framework: 'vite',
      adapter: 'static',
      buildRuntime: 'node-20.0',
      installCommand: '',
      buildCommand: 'node build.mjs',
      outputDirectory: './dist',
      fallbackFile: 'index.html',
      enabled: true,
      logging: true,
      timeout: 30,
      path: 'sites/tiny',
    };
    await writeConfig({ sites: [site] });
    const output = await succeeds(['push', 'sites', '--all', '--force'], /Successfully pushed 1 sites/);
    // The CLI asks for a rule on a fresh name under `_APP_DOMAIN_SITES`, and prints it once the build is ready.
    const domain = /\b([0-9a-f]{20}\.sites\.localhost)/.exec(output)?.[1];
    assert.ok(domain, output);
    const page = await rawRequest(server.endpoint, domain, '/');
    assert.equal(page.status, 200);
    assert.match(page.body, /<title>tiny<\/title>/);
  });

  test('pull all: settings, functions and sites with their code, tables, buckets, teams and topics come back', async () => {
    const pulled = join(home, 'pulled');
    await mkdir(pulled);
    await writeFile(join(pulled, 'appwrite.config.json'), JSON.stringify({ projectId }));
    const run = await runAppwrite(home, pulled, ['pull', 'all', '--force']);
    assert.equal(run.code, 0, run.output);
    assert.doesNotMatch(run.output, /✗ Error/);
    for (const kind of ['functions', 'sites', 'tables', 'buckets', 'teams', 'topics']) assert.match(run.output, new RegExp(`Successfully pulled \\d+ ${kind}`), kind);
    // The CLI finds each latest deployment with `orderDesc` naming no attribute, and downloads its code.
    assert.match(run.output, /Successfully pulled all project settings/);
    assert.match(run.output, /Pulling latest deployment code/);

    const back = JSON.parse(await readFile(join(pulled, 'appwrite.config.json'), 'utf8'));
    assert.equal(back.projectName, 'Shop CLI');
    // The settings round-trip: every value pushed comes back as it was.
    assert.deepEqual(sameKeysAs(PUSHED_SETTINGS.services, back.settings.services), PUSHED_SETTINGS.services);
    assert.deepEqual(sameKeysAs(PUSHED_SETTINGS.auth.methods, back.settings.auth.methods), PUSHED_SETTINGS.auth.methods);
    assert.deepEqual(sameKeysAs(PUSHED_SETTINGS.auth.security, back.settings.auth.security), PUSHED_SETTINGS.auth.security);
    assert.ok(back.tables.some((table: { $id: string }) => table.$id === 'products'));
    assert.ok(back.buckets.some((bucket: { $id: string }) => bucket.$id === 'images'));
    assert.ok(back.teams.some((team: { $id: string }) => team.$id === 'staff'));
    const hello = back.functions.find((fn: { $id: string }) => fn.$id === 'hello');
    assert.ok(hello, JSON.stringify(back.functions));
    const code = await readdir(join(pulled, hello.path, 'src'));
    assert.ok(code.includes('main.js'), code.join(', '));
    const tiny = back.sites?.find((site: { $id: string }) => site.$id === 'tiny');
    assert.ok(tiny, JSON.stringify(back.sites));
    assert.ok((await readdir(join(pulled, tiny.path))).includes('build.mjs'));
  });

  test('projects list, then logout', async () => {
    await succeeds(['projects', 'list'], /shop/);
    await succeeds(['logout'], /Logging out/);
    const signedOut = await appwrite(['whoami']);
    assert.match(signedOut.output, /No user is signed in/i);
  });

  test('login with a second factor: the CLI answers the TOTP challenge', async () => {
    // Sign-up is closed once the first administrator exists: the operator adds this one.
    const added = await server.cli(['admin', 'create', '--email', 'guarded@example.com', '--password', PASSWORD]);
    assert.equal(added.code, 0, added.stderr);
    const guarded = { email: 'guarded@example.com', cookie: await consoleCookie(server, 'guarded@example.com', PASSWORD) };
    const call = (method: string, path: string, body: unknown) =>
      jsonOf(server.request(path, { method, project: 'console', headers: { 'content-type': 'application/json', cookie: guarded.cookie }, body: JSON.stringify(body) }));
    const { secret } = await call('POST', '/account/mfa/authenticators/totp', {});
    // This step's code verifies the authenticator and the next step's signs in: a code is taken
    // once, and the server accepts one step either side, so crossing a step boundary in between
    // changes nothing.
    const step = Math.floor(Date.now() / 1000 / 30) * 30;
    const verified = await call('PUT', '/account/mfa/authenticators/totp', { otp: await generate({ secret, epoch: step }) });
    assert.equal(verified.mfa, false, JSON.stringify(verified));
    assert.equal((await call('PATCH', '/account/mfa', { mfa: true })).mfa, true);

    const args = ['login', '--endpoint', server.endpoint, '--email', guarded.email, '--password', PASSWORD, '--mfa', 'totp'];
    const wrong = await appwrite([...args, '--code', '000000']);
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.output, /✗ Error/);
    await succeeds([...args, '--code', await generate({ secret, epoch: step + 30 })], /Successfully signed in as guarded@example\.com/);
    await succeeds(['whoami'], /guarded@example\.com.*Yes/s);
  });

  async function writeFunction(id: string): Promise<void> {
    for (const [path, content] of Object.entries(NODE_STARTER)) {
      await mkdir(join(dir, 'functions', id, path, '..'), { recursive: true });
      await writeFile(join(dir, 'functions', id, path), content);
    }
  }

  function functionConfig(id: string) {
    const name = id === 'hello' ? 'Hello' : 'Greet';
    return { $id: id, name, runtime: 'node-20.0', execute: ['any'], events: [], schedule: '', timeout: 15, enabled: true, logging: true, entrypoint: 'src/main.js', commands: '', path: `functions/${id}` };
  }
});
