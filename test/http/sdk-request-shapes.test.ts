import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Databases, Permission, Role, Storage, TablesDB, Users } from 'node-appwrite';
import { waitForSchema } from '../databases/helpers.js';
import { jsonOf, TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';

const PROJECT = 'shapes';

/**
 * Requests shaped as Appwrite's other SDKs send them (PHP's `[]` for no parameters, `null`
 * for an unset optional one, URL-encoded and multipart forms with PHP-style brackets, every
 * scalar a string in a form), answered as Appwrite answers them.
 */
describe('request shapes of the PHP, Python and Dart SDKs', () => {
  let server: TestServer;
  let key: string;

  before(async () => {
    server = await TestServer.start();
    await server.createProject(PROJECT);
    key = await server.createKey(PROJECT);
    const databases = new Databases(sdkClient(server, PROJECT, key));
    await databases.create({ databaseId: 'db', name: 'db' });
    await databases.createCollection({ databaseId: 'db', collectionId: 'notes', name: 'notes', permissions: [Permission.read(Role.any())] });
    await databases.createStringAttribute({ databaseId: 'db', collectionId: 'notes', key: 'title', size: 64, required: false });
    await databases.createIntegerAttribute({ databaseId: 'db', collectionId: 'notes', key: 'rank', required: false });
    await waitForSchema(new TablesDB(sdkClient(server, PROJECT, key)), 'db', 'notes');
  });
  after(() => server.stop());

  const send = (method: string, path: string, body: string | FormData, contentType?: string) =>
    server.request(path, { method, project: PROJECT, key, ...(contentType ? { headers: { 'content-type': contentType } } : {}), body });
  const json = (method: string, path: string, body: unknown) => send(method, path, JSON.stringify(body), 'application/json');
  const form = (method: string, path: string, pairs: [string, string][]) =>
    send(method, path, new URLSearchParams(pairs).toString(), 'application/x-www-form-urlencoded');
  const multipart = (method: string, path: string, pairs: [string, string][]) => {
    const data = new FormData();
    for (const [name, value] of pairs) data.append(name, value);
    return send(method, path, data);
  };

  async function expectStatus(response: Response, status: number): Promise<any> {
    const body = response.status === 204 ? {} : await jsonOf(response);
    assert.equal(response.status, status, JSON.stringify(body));
    return body;
  }

  it('reads a JSON body of [] as no parameters, as the PHP SDK sends for a call without any', async () => {
    const transaction = await expectStatus(await send('POST', '/databases/transactions', '[]', 'application/json'), 201);
    assert.ok(transaction.$id);
    await expectStatus(await send('POST', '/tablesdb/transactions', '[]', 'application/json'), 201);
  });

  it('reads an optional parameter sent as null as absent (its default applies)', async () => {
    const created = await expectStatus(
      await json('POST', '/databases/db/collections/notes/documents', { documentId: 'n1', data: { title: 'one' }, permissions: null, transactionId: null }),
      201,
    );
    assert.equal(created.title, 'one');
    const bucket = await expectStatus(await json('POST', '/storage/buckets', { bucketId: 'nulls', name: 'Nulls', maximumFileSize: null, enabled: null }), 201);
    assert.equal(bucket.enabled, true);
    // A required parameter sent as null is sent, and invalid, as Appwrite names it.
    const refused = await expectStatus(await json('POST', '/storage/buckets', { bucketId: 'nulls2', name: null }), 400);
    assert.equal(refused.type, 'general_argument_invalid');
    assert.match(refused.message, /^Invalid `name` param/);
  });

  it('takes a URL-encoded form on any route, with bracket arrays and string scalars', async () => {
    const user = await expectStatus(
      await form('POST', '/users', [
        ['userId', 'form-user'],
        ['email', 'form@example.com'],
        ['password', 'a long password'],
        ['name', 'Form'],
      ]),
      201,
    );
    assert.equal(user.$id, 'form-user');
    assert.equal(user.email, 'form@example.com');

    const bucket = await expectStatus(
      await form('POST', '/storage/buckets', [
        ['bucketId', 'formed'],
        ['name', 'Formed'],
        ['permissions[]', 'read("any")'],
        ['permissions[]', 'create("users")'],
        ['fileSecurity', 'true'],
        ['enabled', 'false'],
        ['maximumFileSize', '49'],
        ['allowedFileExtensions[0]', 'png'],
      ]),
      201,
    );
    assert.deepEqual(bucket.$permissions, ['read("any")', 'create("users")']);
    assert.equal(bucket.fileSecurity, true);
    assert.equal(bucket.enabled, false, '"false" is false, not a non-empty string');
    assert.equal(bucket.maximumFileSize, 49);
    assert.deepEqual(bucket.allowedFileExtensions, ['png']);
  });

  it('takes a multipart form on any route, with nested data and a JSON-encoded object', async () => {
    const user = await expectStatus(
      await multipart('POST', '/users', [
        ['userId', 'multipart-user'],
        ['email', 'multipart@example.com'],
        ['password', 'a long password'],
      ]),
      201,
    );
    assert.equal(user.$id, 'multipart-user');

    const bracketed = await expectStatus(
      await multipart('POST', '/databases/db/collections/notes/documents', [
        ['documentId', 'n2'],
        ['data[title]', 'two'],
        ['permissions[0]', 'read("any")'],
      ]),
      201,
    );
    assert.equal(bracketed.title, 'two');
    assert.deepEqual(bracketed.$permissions, ['read("any")']);

    const encoded = await expectStatus(
      await multipart('POST', '/databases/db/collections/notes/documents', [
        ['documentId', 'n3'],
        ['data', JSON.stringify({ title: 'three', rank: 3 })],
      ]),
      201,
    );
    assert.equal(encoded.title, 'three');
    assert.equal(encoded.rank, 3, 'a value inside a document keeps its JSON type');
  });

  it('reads string scalars in a JSON body as Appwrite\'s loose validators do', async () => {
    await new Storage(sdkClient(server, PROJECT, key)).createBucket({ bucketId: 'loose', name: 'Loose' });
    const updated = await expectStatus(
      await json('PUT', '/storage/buckets/loose', { name: 'Loose', enabled: '0', fileSecurity: 'true', maximumFileSize: '1024', transformations: 1 }),
      200,
    );
    assert.equal(updated.enabled, false);
    assert.equal(updated.fileSecurity, true);
    assert.equal(updated.maximumFileSize, 1024);
    assert.equal(updated.transformations, true);
    const users = new Users(sdkClient(server, PROJECT, key));
    await users.create({ userId: 'flags', email: 'flags@example.com' });
    const verified = await expectStatus(await form('PATCH', '/users/flags/verification', [['emailVerification', 'true']]), 200);
    assert.equal(verified.emailVerification, true);
  });

  it('still refuses what no reading makes valid, naming the parameter', async () => {
    for (const response of [
      await json('PUT', '/storage/buckets/loose', { name: 'Loose', enabled: 'maybe' }),
      await form('PUT', '/storage/buckets/loose', [
        ['name', 'Loose'],
        ['enabled', 'yes'],
      ]),
    ]) {
      const body = await expectStatus(response, 400);
      assert.equal(body.type, 'general_argument_invalid');
      assert.match(body.message, /^Invalid `enabled` param/);
    }
    const integer = await expectStatus(await json('PUT', '/storage/buckets/loose', { name: 'Loose', maximumFileSize: '12abc' }), 400);
    assert.match(integer.message, /^Invalid `maximumFileSize` param/);
    const missing = await expectStatus(await form('POST', '/storage/buckets', [['name', 'No id']]), 400);
    assert.equal(missing.message, 'Param "bucketId" is not optional.');
  });

  it('reads an operation\'s data sent as [] as no data, as PHP encodes an empty map', async () => {
    const databases = new Databases(sdkClient(server, PROJECT, key));
    await databases.createDocument({ databaseId: 'db', collectionId: 'notes', documentId: 'gone', data: { title: 'gone' } });
    const transaction = await expectStatus(await send('POST', '/databases/transactions', '[]', 'application/json'), 201);
    const staged = await expectStatus(
      await json('POST', `/databases/transactions/${transaction.$id}/operations`, {
        operations: [
          { action: 'delete', databaseId: 'db', collectionId: 'notes', documentId: 'gone', data: [] },
          { action: 'bulkUpdate', databaseId: 'db', collectionId: 'notes', data: { queries: ['{"method":"equal","attribute":"$id","values":["nobody"]}'], data: [] } },
          { action: 'bulkDelete', databaseId: 'db', collectionId: 'notes', data: [] },
        ],
      }),
      201,
    );
    assert.equal(staged.operations, 3);
    await expectStatus(await json('PATCH', `/databases/transactions/${transaction.$id}`, { rollback: true }), 200);
    // Still refused: data that is neither a map nor PHP's empty one.
    const other = await expectStatus(await send('POST', '/databases/transactions', '[]', 'application/json'), 201);
    const refused = await expectStatus(
      await json('POST', `/databases/transactions/${other.$id}/operations`, { operations: [{ action: 'delete', databaseId: 'db', collectionId: 'notes', documentId: 'gone', data: ['x'] }] }),
      400,
    );
    assert.equal(refused.type, 'general_argument_invalid');
    await databases.deleteDocument({ databaseId: 'db', collectionId: 'notes', documentId: 'gone' });
  });

  it('routes a path with a trailing or doubled slash as Appwrite\'s router does', async () => {
    const list = await expectStatus(await server.request('/storage/buckets/', { project: PROJECT, key }), 200);
    assert.ok(list.total >= 1);
    await expectStatus(await server.request('//storage//buckets/loose/', { project: PROJECT, key }), 200);
    const documents = await expectStatus(await server.request('/databases/db/collections/notes/documents/?queries[0]=' + encodeURIComponent('{"method":"limit","values":[1]}'), { project: PROJECT, key }), 200);
    assert.equal(documents.documents.length, 1);
  });

  it('orders by the stored order when orderAsc or orderDesc names no attribute, as the CLI sends it', async () => {
    const list = async (query: object) => {
      const path = `/databases/db/collections/notes/documents?queries[0]=${encodeURIComponent(JSON.stringify(query))}`;
      const body = await expectStatus(await server.request(path, { project: PROJECT, key }), 200);
      return body.documents.map((document: { $id: string }) => document.$id);
    };
    assert.deepEqual(await list({ method: 'orderDesc', values: ['$id'] }), ['n3', 'n2', 'n1']);
    assert.deepEqual(await list({ method: 'orderAsc' }), ['n1', 'n2', 'n3']);
    const unknown = await expectStatus(await server.request(`/databases/db/collections/notes/documents?queries[0]=${encodeURIComponent('{"method":"orderAsc","attribute":"nope"}')}`, { project: PROJECT, key }), 400);
    assert.equal(unknown.type, 'general_query_invalid');
  });
});
