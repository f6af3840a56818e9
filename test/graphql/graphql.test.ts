import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Account, Graphql, ID, Permission, Role, Storage, TablesDB } from 'node-appwrite';
import { signUpUser, waitForSchema, type DatabaseUser } from '../databases/helpers.js';
import { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';

const PROJECT = 'graph-app';

interface GraphqlError {
  message: string;
  path?: string[];
  extensions?: { code: number; type: string };
}
interface GraphqlResult {
  data?: Record<string, any> | null;
  errors?: GraphqlError[];
}

/** The GraphQL endpoint through node-appwrite's Graphql service, as a key and as a signed-in user. */
describe('GraphQL through node-appwrite', () => {
  let server: TestServer;
  let key: string;
  let asKey: Graphql;
  let ada: DatabaseUser;
  let asAda: Graphql;

  const run = async (graphql: Graphql, query: string, variables: Record<string, unknown> = {}) =>
    plain<GraphqlResult>(await graphql.query({ query: { query, variables } }));
  const mutate = async (graphql: Graphql, query: string, variables: Record<string, unknown> = {}) =>
    plain<GraphqlResult>(await graphql.mutation({ query: { query, variables } }));

  before(async () => {
    server = await TestServer.start();
    await server.createProject(PROJECT);
    key = await server.createKey(PROJECT);
    asKey = new Graphql(sdkClient(server, PROJECT, key));
    ada = await signUpUser(server, PROJECT, key, 'Ada');
    asAda = new Graphql(ada.client);
  });
  after(() => server.stop());

  it('reads the signed-in account, with `$` names as `_`', async () => {
    const result = await run(asAda, 'query { accountGet { _id name email status } }');
    assert.equal(result.errors, undefined);
    assert.deepEqual(result.data, { accountGet: { _id: ada.userId, name: 'Ada', email: result.data?.accountGet.email, status: true } });
    assert.match(result.data?.accountGet.email, /^ada-.*@example\.com$/);
  });

  it('creates a database, a table and rows, and lists them, the documents API included', async () => {
    const created = await mutate(
      asKey,
      `mutation ($databaseId: String!, $tableId: String!) {
        tablesDBCreate(databaseId: $databaseId, name: "Library") { _id name }
        tablesDBCreateTable(databaseId: $databaseId, tableId: $tableId, name: "Books", rowSecurity: true, permissions: ["create(\\"users\\")"]) { _id rowSecurity }
        tablesDBCreateStringColumn(databaseId: $databaseId, tableId: $tableId, key: "title", size: 100, required: true) { key type status }
      }`,
      { databaseId: 'library', tableId: 'books' },
    );
    assert.equal(created.errors, undefined, JSON.stringify(created.errors));
    assert.deepEqual(created.data?.tablesDBCreate, { _id: 'library', name: 'Library' });
    assert.deepEqual(created.data?.tablesDBCreateTable, { _id: 'books', rowSecurity: true });
    assert.equal(created.data?.tablesDBCreateStringColumn.key, 'title');
    await waitForSchema(new TablesDB(sdkClient(server, PROJECT, key)), 'library', 'books');

    const row = await mutate(
      asAda,
      `mutation ($data: Json!) {
        tablesDBCreateRow(databaseId: "library", tableId: "books", rowId: "dune", data: $data) { _id _tableId _permissions data }
      }`,
      { data: { title: 'Dune' } },
    );
    assert.equal(row.errors, undefined, JSON.stringify(row.errors));
    assert.equal(row.data?.tablesDBCreateRow._id, 'dune');
    assert.equal(row.data?.tablesDBCreateRow._tableId, 'books');
    assert.deepEqual(JSON.parse(row.data?.tablesDBCreateRow.data), { title: 'Dune' });
    assert.ok(row.data?.tablesDBCreateRow._permissions.includes(`read("user:${ada.userId}")`));

    const listed = await run(
      asAda,
      `query { databasesListDocuments(databaseId: "library", collectionId: "books", queries: ["{\\"method\\":\\"limit\\",\\"values\\":[5]}"]) {
        total documents { _id _collectionId data }
      } }`,
    );
    assert.equal(listed.errors, undefined, JSON.stringify(listed.errors));
    assert.equal(listed.data?.databasesListDocuments.total, 1);
    assert.deepEqual(listed.data?.databasesListDocuments.documents[0], { _id: 'dune', _collectionId: 'books', data: JSON.stringify({ title: 'Dune' }) });
  });

  it('answers a field the caller may not use with the route\'s error, and the other fields still answer', async () => {
    const bob = await signUpUser(server, PROJECT, key, 'Bob');
    const result = await run(
      new Graphql(bob.client),
      'query { accountGet { name } tablesDBGetRow(databaseId: "library", tableId: "books", rowId: "dune") { _id } usersList { total } }',
    );
    assert.equal(result.data?.accountGet.name, 'Bob');
    assert.equal(result.data?.tablesDBGetRow, null);
    assert.equal(result.data?.usersList, null);
    const byField = Object.fromEntries((result.errors ?? []).map((error) => [error.path?.[0], error]));
    assert.deepEqual(byField.tablesDBGetRow?.extensions, { code: 404, type: 'row_not_found' });
    assert.deepEqual(byField.usersList?.extensions, { code: 401, type: 'general_unauthorized_scope' });
    assert.match(byField.usersList!.message, /missing scopes/);
  });

  it('refuses a key without the route\'s scope', async () => {
    const readOnly = new Graphql(sdkClient(server, PROJECT, await server.createKey(PROJECT, 'databases.read')));
    const result = await mutate(readOnly, 'mutation { databasesCreate(databaseId: "other", name: "Other") { _id } }');
    assert.equal(result.data?.databasesCreate, null);
    assert.deepEqual(result.errors?.[0]?.extensions, { code: 401, type: 'general_unauthorized_scope' });
  });

  it('checks each field against its own route\'s scope and abuse limit, counted with the REST calls', async () => {
    const guest = new Graphql(sdkClient(server, PROJECT));
    const scoped = await run(guest, '{ accountGet { _id } localeListCodes { total } }');
    assert.deepEqual(scoped.errors?.map((error) => [error.path?.[0], error.extensions?.type]), [['accountGet', 'general_unauthorized_scope']]);
    assert.ok(scoped.data?.localeListCodes.total > 100);

    // The route allows 10 sign-in attempts an hour per email; mutation fields run one after another.
    const email = `limited-${ID.unique()}@example.com`;
    const attempts = Array.from({ length: 11 }, (_, index) => `a${index}: accountCreateEmailPasswordSession(email: $email, password: "wrong password") { _id }`);
    const limited = await mutate(guest, `mutation ($email: String!) { ${attempts.join(' ')} }`, { email });
    const types = (limited.errors ?? []).map((error) => [error.path?.[0], error.extensions?.code, error.extensions?.type]);
    assert.deepEqual(types.slice(0, 10), Array.from({ length: 10 }, (_, index) => [`a${index}`, 401, 'user_invalid_credentials']));
    assert.deepEqual(types[10], ['a10', 429, 'general_rate_limit_exceeded']);
    await rejectsWith(new Account(sdkClient(server, PROJECT)).createEmailPasswordSession({ email, password: 'wrong password' }), 429, 'general_rate_limit_exceeded');
  });

  it('reports bad syntax and unknown fields in `errors`, without running anything', async () => {
    const syntax = await run(asKey, 'query { accountGet { _id }');
    assert.equal(syntax.data, undefined);
    assert.match(syntax.errors?.[0]?.message ?? '', /^Syntax Error: Expected Name, found <EOF>/);
    const unknown = await run(asKey, 'query { nothingHere { _id } }');
    assert.equal(unknown.errors?.[0]?.message, 'Cannot query field "nothingHere" on type "Query".');
  });

  it('refuses a query nested deeper than 3 levels, or costing more than 250', async () => {
    const deep = await run(asKey, 'query { __schema { types { fields { type { ofType { name } } } } } }');
    assert.deepEqual(deep.errors?.map((error) => error.message), ['Max query depth should be 3 but got 4.']);
    // `documents` and its three fields cost 4, times a page of 100.
    const costly = await run(
      asKey,
      'query ($queries: [String]) { databasesListDocuments(databaseId: "library", collectionId: "books", queries: $queries) { documents { _id _createdAt _updatedAt } } }',
      { queries: ['{"method":"limit","values":[100]}'] },
    );
    assert.deepEqual(costly.errors?.map((error) => error.message), ['Max query complexity should be 250 but got 400.']);
    assert.equal(costly.data, undefined);
  });

  it('runs batched requests side by side, at most 10', async () => {
    const one = { query: 'query { accountGet { name } }' };
    const two = { query: 'query ($id: String!) { usersGet(userId: $id) { name } }', variables: { id: ada.userId } };
    const results = plain<GraphqlResult[]>(await new Graphql(ada.client).query({ query: [one, one] }));
    assert.deepEqual(results.map((result) => result.data), [{ accountGet: { name: 'Ada' } }, { accountGet: { name: 'Ada' } }]);
    const mixed = plain<GraphqlResult[]>(await asKey.query({ query: [two, { query: 'query { localeListCodes { total } }' }] }));
    assert.deepEqual(mixed[0]?.data, { usersGet: { name: 'Ada' } });
    assert.ok(mixed[1]?.data?.localeListCodes.total > 100);
    await rejectsWith(asKey.query({ query: Array.from({ length: 11 }, () => one) }), 400, 'graphql_too_many_queries');
    await rejectsWith(asKey.query({ query: {} }), 400, 'graphql_no_query');
  });

  const turnProtocol = (protocol: string, enabled: boolean) =>
    server.request(`/project/protocols/${protocol}`, { method: 'PATCH', project: PROJECT, key, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ enabled }) });

  it('is refused to users, not keys, while the project turns the GraphQL protocol off', async () => {
    assert.equal((await turnProtocol('graphql', false)).status, 200);
    try {
      await rejectsWith(asAda.query({ query: { query: '{ accountGet { _id } }' } }), 403, 'general_api_disabled');
      assert.equal((await run(asKey, '{ localeListCodes { total } }')).errors, undefined);
    } finally {
      assert.equal((await turnProtocol('graphql', true)).status, 200);
    }
    assert.equal((await run(asAda, '{ accountGet { _id } }')).data?.accountGet._id, ada.userId);
  });

  it('answers users while the project turns REST off: its fields came through GraphQL', async () => {
    assert.equal((await turnProtocol('rest', false)).status, 200);
    try {
      await rejectsWith(new Account(ada.client).get(), 403, 'general_api_disabled');
      assert.equal((await run(asAda, '{ accountGet { _id } }')).data?.accountGet._id, ada.userId);
    } finally {
      assert.equal((await turnProtocol('rest', true)).status, 200);
    }
  });

  it('answers GET queries, and refuses mutations sent by GET', async () => {
    const url = (query: string) => `/graphql?query=${encodeURIComponent(query)}`;
    const read = await server.request(url('{ localeListCodes { total } }'), { project: PROJECT, key });
    assert.equal(read.status, 200);
    assert.ok(((await read.json()) as GraphqlResult).data?.localeListCodes.total > 100);
    const write = await server.request(url('mutation { databasesCreate(databaseId: "x", name: "X") { _id } }'), { project: PROJECT, key });
    assert.equal(write.status, 405);
    assert.equal(write.headers.get('allow'), 'POST');
    assert.equal(((await write.json()) as { type: string }).type, 'graphql_method_unsupported');
  });

  it('uploads a file as a GraphQL multipart request', async () => {
    await new Storage(sdkClient(server, PROJECT, key)).createBucket({
      bucketId: 'photos',
      name: 'Photos',
      permissions: [Permission.create(Role.users()), Permission.read(Role.users())],
      fileSecurity: false,
    });
    const form = new FormData();
    form.append(
      'operations',
      JSON.stringify({
        query: 'mutation ($file: InputFile!) { storageCreateFile(bucketId: "photos", fileId: "note", file: $file) { _id name sizeOriginal mimeType } }',
        variables: { file: null },
      }),
    );
    form.append('map', JSON.stringify({ 0: ['variables.file'] }));
    form.append('0', new Blob(['hello, graph'], { type: 'text/plain' }), 'note.txt');
    const response = await fetch(`${server.endpoint}/graphql/mutation`, {
      method: 'POST',
      headers: { 'X-Appwrite-Project': PROJECT, 'X-Appwrite-Session': await sessionOf(ada) },
      body: form,
    });
    const result = (await response.json()) as GraphqlResult;
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    assert.deepEqual(result.data?.storageCreateFile, { _id: 'note', name: 'note.txt', sizeOriginal: 12, mimeType: 'text/plain' });
    const bytes = await new Storage(sdkClient(server, PROJECT, key)).getFileDownload({ bucketId: 'photos', fileId: 'note' });
    assert.equal(Buffer.from(bytes).toString(), 'hello, graph');

    const hardcoded = await mutate(asKey, 'mutation { storageCreateFile(bucketId: "photos", fileId: "x", file: "text") { _id } }');
    assert.match(hardcoded.errors?.[0]?.message ?? '', /`InputFile` cannot be hardcoded in query/);
  });

  it('creates and lists functions', async () => {
    const created = await mutate(asKey, 'mutation { functionsCreate(functionId: "hello", name: "Hello", runtime: "node-22") { _id name runtime } }');
    assert.equal(created.errors, undefined, JSON.stringify(created.errors));
    assert.deepEqual(created.data?.functionsCreate, { _id: 'hello', name: 'Hello', runtime: 'node-22' });
    const listed = await run(asKey, 'query { functionsList { total functions { _id } } }');
    assert.deepEqual(listed.data?.functionsList, { total: 1, functions: [{ _id: 'hello' }] });
  });

  it('keeps the session a sign-in creates, as the REST route would set it', async () => {
    const email = `cy-${ID.unique()}@example.com`;
    const signUp = await mutate(new Graphql(sdkClient(server, PROJECT)), 'mutation ($email: String!) { accountCreate(userId: "unique()", email: $email, password: "correct horse") { _id } }', { email });
    assert.equal(signUp.errors, undefined, JSON.stringify(signUp.errors));
    const response = await fetch(`${server.endpoint}/graphql/mutation`, {
      method: 'POST',
      headers: { 'X-Appwrite-Project': PROJECT, 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: 'mutation ($email: String!) { accountCreateEmailPasswordSession(email: $email, password: "correct horse") { userId } }', variables: { email } }),
    });
    assert.equal(((await response.json()) as GraphqlResult).data?.accountCreateEmailPasswordSession.userId, signUp.data?.accountCreate._id);
    assert.match(response.headers.getSetCookie().join('\n'), new RegExp(`a_session_${PROJECT}=`));
  });
});

/** The SDK's answer as plain objects (it parses JSON into objects without a prototype). */
function plain<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The session secret the user's client carries. */
async function sessionOf(user: DatabaseUser): Promise<string> {
  return (user.client as unknown as { config: { session: string } }).config.session;
}
