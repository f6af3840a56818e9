import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Functions, Graphql, Permission, Role, Runtime, Storage, TablesDB, Users } from 'node-appwrite';
import { signUpUser, waitForSchema, type DatabaseUser } from '../databases/helpers.js';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';

const PROJECT = 'graph-shapes';

interface GraphqlResult {
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: { code: number; type: string } }[];
}

/**
 * The schema as Appwrite 1.9.6 builds it and its own e2e suite queries it: nullable required
 * arguments, nested models, unions for answers of several models, and answers a route sends
 * itself (no content, a file) passed on as the GraphQL answer.
 */
describe('GraphQL shaped as Appwrite 1.9.6', () => {
  let server: TestServer;
  let key: string;
  let asKey: Graphql;
  let ada: DatabaseUser;

  const post = async (query: string, variables: Record<string, unknown> = {}) =>
    server.request('/graphql', {
      method: 'POST',
      project: PROJECT,
      key,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
  const mutate = async (query: string, variables: Record<string, unknown> = {}) =>
    plain<GraphqlResult>(await asKey.mutation({ query: { query, variables } }));
  const run = async (query: string, variables: Record<string, unknown> = {}) => plain<GraphqlResult>(await asKey.query({ query: { query, variables } }));

  before(async () => {
    server = await TestServer.start();
    await server.createProject(PROJECT);
    key = await server.createKey(PROJECT);
    asKey = new Graphql(sdkClient(server, PROJECT, key));
    ada = await signUpUser(server, PROJECT, key, 'Ada');
  });
  after(() => server.stop());

  it('takes null for a required argument that may be null (a column\'s default), declared without `!`', async () => {
    const tables = new TablesDB(sdkClient(server, PROJECT, key));
    await tables.create({ databaseId: 'shop', name: 'Shop' });
    await tables.createTable({ databaseId: 'shop', tableId: 'items', name: 'Items' });
    await tables.createStringColumn({ databaseId: 'shop', tableId: 'items', key: 'label', size: 50, required: false, xdefault: 'none' });
    await tables.createIntegerColumn({ databaseId: 'shop', tableId: 'items', key: 'stock', required: false });
    await waitForSchema(tables, 'shop', 'items');

    const updated = await mutate(
      `mutation ($default: String) {
        tablesDBUpdateStringColumn(databaseId: "shop", tableId: "items", key: "label", required: false, default: $default) { key default }
      }`,
      { default: null },
    );
    assert.equal(updated.errors, undefined, JSON.stringify(updated.errors));
    assert.deepEqual(updated.data?.tablesDBUpdateStringColumn, { key: 'label', default: null });

    // One column's answer is any column type: a union, as the list's `columns`.
    const columns = `{
      ... on ColumnString { key size }
      ... on ColumnInteger { key type }
    }`;
    const label = await run(`query { tablesDBGetColumn(databaseId: "shop", tableId: "items", key: "label") ${columns} }`);
    assert.equal(label.errors, undefined, JSON.stringify(label.errors));
    assert.deepEqual(label.data?.tablesDBGetColumn, { key: 'label', size: 50 });
    const stock = await run(`query { tablesDBGetColumn(databaseId: "shop", tableId: "items", key: "stock") ${columns} }`);
    assert.deepEqual(stock.data?.tablesDBGetColumn, { key: 'stock', type: 'integer' });
  });

  it('gives preferences as a model with `data`, taken as an `Assoc` object or JSON string', async () => {
    const byObject = await mutate(
      `mutation ($userId: String!, $prefs: Assoc!) {
        usersUpdatePrefs(userId: $userId, prefs: $prefs) { data }
      }`,
      { userId: ada.userId, prefs: { theme: 'dark' } },
    );
    assert.equal(byObject.errors, undefined, JSON.stringify(byObject.errors));
    assert.deepEqual(JSON.parse(byObject.data?.usersUpdatePrefs.data), { theme: 'dark' });

    const byString = await mutate(`mutation ($userId: String!) { usersUpdatePrefs(userId: $userId, prefs: "{\\"lang\\":\\"fr\\"}") { data } }`, {
      userId: ada.userId,
    });
    assert.deepEqual(JSON.parse(byString.data?.usersUpdatePrefs.data), { lang: 'fr' });

    const read = await run('query ($userId: String!) { usersGet(userId: $userId) { prefs { data } } }', { userId: ada.userId });
    assert.deepEqual(JSON.parse(read.data?.usersGet.prefs.data), { lang: 'fr' });
  });

  it('gives a user\'s hash options as the member of its algorithm', async () => {
    const users = new Users(sdkClient(server, PROJECT, key));
    await users.createScryptModifiedUser({
      userId: 'imported',
      email: 'imported@example.com',
      password: 'hash',
      passwordSalt: 'c2FsdA==',
      passwordSaltSeparator: 'Bw==',
      passwordSignerKey: 'a2V5',
    });
    const hashes = `{
      ... on AlgoArgon2 { type memoryCost }
      ... on AlgoScryptModified { type salt }
    }`;
    const imported = await run(`query { usersGet(userId: "imported") { hashOptions ${hashes} } }`);
    assert.equal(imported.errors, undefined, JSON.stringify(imported.errors));
    assert.deepEqual(imported.data?.usersGet.hashOptions, { type: 'scryptMod', salt: 'c2FsdA==' });
    const own = await run(`query ($userId: String!) { usersGet(userId: $userId) { hashOptions ${hashes} } }`, { userId: ada.userId });
    assert.equal(own.data?.usersGet.hashOptions.type, 'argon2');
    assert.equal(typeof own.data?.usersGet.hashOptions.memoryCost, 'number');
  });

  it('answers a delete with the route\'s 204 and no body, as Appwrite passes on what its route sent', async () => {
    await new Users(sdkClient(server, PROJECT, key)).create({ userId: 'leaving', email: 'leaving@example.com' });
    const response = await post('mutation { usersDelete(userId: "leaving") { status } }');
    assert.equal(response.status, 204);
    assert.equal(await response.text(), '');
    await assert.rejects(new Users(sdkClient(server, PROJECT, key)).get({ userId: 'leaving' }), { code: 404 });

    // An error is still a GraphQL error.
    const missing = await post('mutation { usersDelete(userId: "leaving") { status } }');
    assert.equal(missing.status, 200);
    assert.equal(((await missing.json()) as GraphqlResult).errors?.[0]?.extensions?.type, 'user_not_found');
  });

  it('answers a file download with the file itself', async () => {
    const storage = new Storage(sdkClient(server, PROJECT, key));
    await storage.createBucket({ bucketId: 'docs', name: 'Docs', permissions: [Permission.read(Role.any())] });
    const form = new FormData();
    form.append(
      'operations',
      JSON.stringify({
        query: 'mutation ($file: InputFile!) { storageCreateFile(bucketId: "docs", fileId: "readme", file: $file) { _id } }',
        variables: { file: null },
      }),
    );
    // PHP's json_encode writes a map keyed 0 as a list: it names the same file.
    form.append('map', JSON.stringify([['variables.file']]));
    form.append('0', new Blob(['plain words'], { type: 'text/plain' }), 'readme.txt');
    const upload = await server.request('/graphql', { method: 'POST', project: PROJECT, key, body: form });
    const uploaded = (await upload.json()) as GraphqlResult;
    assert.equal(uploaded.errors, undefined, JSON.stringify(uploaded.errors));
    assert.equal(uploaded.data?.storageCreateFile._id, 'readme');

    const download = await post('query { storageGetFileDownload(bucketId: "docs", fileId: "readme") { status } }');
    assert.equal(download.status, 200);
    assert.match(download.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(await download.text(), 'plain words');
  });

  it('creates a function variable under the ID given, as 1.9.6 takes one', async () => {
    await new Functions(sdkClient(server, PROJECT, key)).create({ functionId: 'greeter', name: 'Greeter', runtime: Runtime.Node22 });
    const created = await mutate(`mutation {
      named: functionsCreateVariable(functionId: "greeter", variableId: "greeting", key: "GREETING", value: "hi") { _id key }
      unnamed: functionsCreateVariable(functionId: "greeter", key: "NAME", value: "Ada") { _id key }
    }`);
    assert.equal(created.errors, undefined, JSON.stringify(created.errors));
    assert.deepEqual(created.data?.named, { _id: 'greeting', key: 'GREETING' });
    assert.equal(created.data?.unnamed.key, 'NAME');
  });

  it('sets a presence through `presencesUpsert`, marked as coming from GraphQL', async () => {
    const result = await mutate(
      `mutation ($userId: String!) {
        presencesUpsert(presenceId: "unique()", userId: $userId, status: "online") { userId status source }
      }`,
      { userId: ada.userId },
    );
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    assert.deepEqual(result.data?.presencesUpsert, { userId: ada.userId, status: 'online', source: 'graphql' });
  });

  it('refuses an unknown browser permission for a screenshot with the route\'s 400', async () => {
    const result = await run('query { avatarsGetScreenshot(url: "https://example.com", permissions: ["camera", "telepathy"]) { status } }');
    assert.equal(result.errors?.[0]?.extensions?.code, 400);
    assert.match(result.errors?.[0]?.message ?? '', /Invalid `permissions` param/);
  });
});

describe('GraphQL while abuse limits are off', () => {
  let server: TestServer;
  let key: string;

  before(async () => {
    server = await TestServer.start({ env: { PLINTH_RATE_LIMITS: 'off' } });
    await server.createProject(PROJECT);
    key = await server.createKey(PROJECT);
  });
  after(() => server.stop());

  it('checks no cost, as Appwrite with `_APP_OPTIONS_ABUSE=disabled`', async () => {
    const graphql = new Graphql(sdkClient(server, PROJECT, key));
    // A page of 25 users of 21 fields costs 525, past the 250 limit.
    const fields = Array.from({ length: 19 }, (_, index) => `f${index}: _id`).join(' ');
    const result = plain<GraphqlResult>(
      await graphql.query({ query: { query: `query { usersList { users { ${fields} hashOptions { ... on AlgoArgon2 { type } } } } }` } }),
    );
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    assert.deepEqual(result.data?.usersList.users, []);
  });
});

/** The SDK's answer as plain objects (it parses JSON into objects without a prototype). */
function plain<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
