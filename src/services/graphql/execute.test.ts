import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../core/errors.js';
import type { CatalogueOperation } from './catalogue.js';
import { DocumentCache } from './document-cache.js';
import { runBatch } from './execute.js';
import { batchOf, placeFiles, UploadedFile } from './requests.js';
import { buildGraphqlSchema, type GraphqlContext } from './schema.js';
import { DEFAULT_GRAPHQL_SETTINGS, type GraphqlSettings } from './settings.js';

const schema = buildGraphqlSchema(() => true);

/** Each field answers what `answers` holds for it, and records how its route was called. */
function contextAnswering(answers: Record<string, unknown>): GraphqlContext & { calls: [string, Record<string, unknown>][] } {
  const calls: [string, Record<string, unknown>][] = [];
  return {
    calls,
    async call(operation: CatalogueOperation, args: Record<string, unknown>) {
      calls.push([operation[0], args]);
      return answers[operation[0]];
    },
  };
}

/** The result as JSON would carry it (graphql-js builds objects without a prototype). */
const run = async (
  query: string,
  options: { variables?: Record<string, unknown>; settings?: Partial<GraphqlSettings>; answers?: Record<string, unknown> } = {},
): Promise<{ data?: any; errors?: { message: string }[] }> => {
  const result = await runBatch(
    schema,
    [{ query, ...(options.variables ? { variables: options.variables } : {}) }],
    { ...DEFAULT_GRAPHQL_SETTINGS, ...options.settings },
    contextAnswering(options.answers ?? {}),
    false,
    new DocumentCache(),
  );
  return JSON.parse(JSON.stringify(result));
};

test('fields are the SDK methods, `$` keys read as `_`, free-form keys as one JSON `data`', async () => {
  const document = { $id: 'd1', $collectionId: 'books', $permissions: ['read("any")'], title: 'Dune', tags: ['sf'] };
  const result = await run('{ databasesGetDocument(databaseId: "db", collectionId: "books", documentId: "d1") { _id _collectionId _permissions data } }', {
    answers: { databasesGetDocument: document },
  });
  assert.deepEqual(result, {
    data: { databasesGetDocument: { _id: 'd1', _collectionId: 'books', _permissions: ['read("any")'], data: '{"title":"Dune","tags":["sf"]}' } },
  });
});

test('aliases call the same route once each, with their own arguments', async () => {
  const context = contextAnswering({ usersGet: { $id: 'u', name: 'Someone' } });
  const result = await runBatch(
    schema,
    [{ query: 'query ($b: String!) { a: usersGet(userId: "1") { name } b: usersGet(userId: $b) { name } }', variables: { b: '2' } }],
    DEFAULT_GRAPHQL_SETTINGS,
    context,
    false,
    new DocumentCache(),
  );
  assert.deepEqual(JSON.parse(JSON.stringify(result)), { data: { a: { name: 'Someone' }, b: { name: 'Someone' } } });
  assert.deepEqual(context.calls, [
    ['usersGet', { userId: '1' }],
    ['usersGet', { userId: '2' }],
  ]);
});

test('an answer without a body reads as status OK; union members are told apart by type and format', async () => {
  const deleted = await run('mutation { accountDeleteSession(sessionId: "current") { status } }', { answers: { accountDeleteSession: {} } });
  assert.deepEqual(deleted.data?.accountDeleteSession, { status: 'OK' });
  const attributes = [
    { key: 'email', type: 'string', format: 'email' },
    { key: 'title', type: 'string' },
    { key: 'count', type: 'integer' },
    { key: 'price', type: 'double' },
    { key: 'summary', type: 'longtext' },
  ];
  const listed = await run(
    '{ databasesListAttributes(databaseId: "db", collectionId: "c") { attributes { __typename ... on AttributeEmail { key } ... on AttributeString { key } ... on AttributeInteger { key } ... on AttributeFloat { key } } } }',
    { answers: { databasesListAttributes: { total: attributes.length, attributes } } },
  );
  assert.deepEqual(
    listed.data?.databasesListAttributes.attributes.map((item: { __typename: string }) => item.__typename),
    ['AttributeEmail', 'AttributeString', 'AttributeInteger', 'AttributeFloat', 'AttributeLongtext'],
  );
});

test('depth counts nested selections from 0; complexity multiplies a list\'s selection by its page size', async () => {
  const three = await run('{ __schema { types { fields { type { name } } } } }');
  assert.equal(three.errors, undefined);
  const four = await run('{ __schema { types { fields { type { ofType { name } } } } } }');
  assert.deepEqual(four.errors?.map((error) => error.message), ['Max query depth should be 3 but got 4.']);

  const list = 'query ($q: [String]) { usersList(queries: $q) { users { ...names } } } fragment names on User { _id name email }';
  const page = (limit: number) => ({ variables: { q: [JSON.stringify({ method: 'limit', values: [limit] })] }, answers: { usersList: { total: 0, users: [] } } });
  assert.equal((await run(list, page(62))).errors, undefined);
  assert.deepEqual((await run(list, page(63))).errors?.map((error) => error.message), ['Max query complexity should be 250 but got 252.']);
  // Without a limit, a page is 25.
  assert.equal((await run(list, { answers: { usersList: { total: 0, users: [] } } })).errors, undefined);
  assert.equal((await run(list, { ...page(1000), settings: { maxComplexity: 0 } })).errors, undefined);
  // Both limits at once: the cost first, then the depth, as Appwrite reports them.
  const both = await run('query ($q: [String]) { usersList(queries: $q) { users { targets { _id } } } }', { ...page(100), settings: { maxDepth: 1 } });
  assert.deepEqual(both.errors?.map((error) => error.message), ['Max query complexity should be 250 but got 300.', 'Max query depth should be 1 but got 2.']);
});

test('introspection can be turned off', async () => {
  assert.equal((await run('{ __schema { queryType { name } } }')).errors, undefined);
  const off = await run('{ __schema { queryType { name } } }', { settings: { introspection: false } });
  assert.match(off.errors?.[0]?.message ?? '', /introspection has been disabled/);
  const cached = await run('{ __typename }', { settings: { introspection: false } });
  assert.deepEqual(cached.data, { __typename: 'Query' });
});

test('a GET request runs queries only', async () => {
  const get = (query: string) => runBatch(schema, [{ query }], DEFAULT_GRAPHQL_SETTINGS, contextAnswering({}), true, new DocumentCache());
  await assert.rejects(get('mutation { databasesDelete(databaseId: "x") { status } }'), (error: AppError) => error.type === 'graphql_method_unsupported');
  assert.deepEqual(JSON.parse(JSON.stringify(await get('{ __typename }'))), { data: { __typename: 'Query' } });
});

test('batches: one object or a list of up to the limit, each with a query', () => {
  assert.deepEqual(batchOf({ query: '{ a }', variables: '{"x":1}' }, 10), [{ query: '{ a }', variables: { x: 1 } }]);
  assert.deepEqual(batchOf([{ query: '{ a }' }, { query: '{ b }', operationName: 'B' }], 10).length, 2);
  assert.deepEqual(batchOf('{ a }', 10), [{ query: '{ a }' }]);
  const fails = (payload: unknown, type: string) => assert.throws(() => batchOf(payload, 2), (error: AppError) => error.type === type);
  fails({}, 'graphql_no_query');
  fails([], 'graphql_no_query');
  fails([{ query: '{ a }' }, { variables: {} }], 'graphql_no_query');
  fails([{ query: '{ a }' }, { query: '{ a }' }, { query: '{ a }' }], 'graphql_too_many_queries');
});

test('multipart files go where the map says, never into prototypes', () => {
  const file = new UploadedFile('a.txt', 'text/plain', Buffer.from('a'));
  const operations = placeFiles({ query: 'q', variables: { file: null } }, { 0: ['variables.file'], 1: ['__proto__.polluted'] }, new Map([['0', file], ['1', file]])) as {
    variables: { file: unknown };
  };
  assert.equal(operations.variables.file, file);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
