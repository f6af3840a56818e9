import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Databases, ID, Storage } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import { MAX_JSON_DEPTH, MAX_JSON_VALUES } from '../../src/http/json-limits.js';
import { jsonOf, TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';

const PROJECT = 'bodies';
const JSON_LIMIT = 1024 * 1024;

describe('JSON request bodies', () => {
  let server: TestServer;
  let key: string;

  before(async () => {
    server = await TestServer.start({ env: { PLINTH_JSON_BODY_LIMIT: String(JSON_LIMIT) } });
    await server.createProject(PROJECT);
    key = await server.createKey(PROJECT);
    const databases = new Databases(sdkClient(server, PROJECT, key));
    await databases.create({ databaseId: 'db', name: 'db' });
    // No permissions: guests may not create documents in it.
    await databases.createCollection({ databaseId: 'db', collectionId: 'closed', name: 'closed' });
  });
  after(() => server.stop());

  const createDocument = (collectionId: string, body: string, withKey = false) =>
    server.request(`/databases/db/collections/${collectionId}/documents`, {
      method: 'POST',
      project: PROJECT,
      ...(withKey ? { key } : {}),
      headers: { 'content-type': 'application/json' },
      body,
    });

  async function assertError(response: Response, status: number, type: string): Promise<void> {
    const body = await jsonOf(response);
    assert.equal(response.status, status, body.message);
    assert.equal(body.type, type);
  }

  it('refuses a value nested 100,000 deep with general_argument_invalid, not a server error', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    await assertError(await createDocument('closed', `{"documentId":"a","data":{"x":${deep}}}`), 400, 'general_argument_invalid');
    await assertError(await createDocument('closed', deep, true), 400, 'general_argument_invalid');
  });

  it('accepts nesting up to the limit', async () => {
    const nested = '['.repeat(MAX_JSON_DEPTH - 2) + ']'.repeat(MAX_JSON_DEPTH - 2);
    await assertError(await createDocument('closed', `{"documentId":"a","data":{"x":${nested}}}`), 401, 'user_unauthorized');
  });

  it('refuses a body with more values than allowed with general_argument_invalid', async () => {
    const data = { list: Array.from({ length: MAX_JSON_VALUES }, () => 0) };
    await assertError(await createDocument('closed', JSON.stringify({ documentId: 'a', data }), true), 400, 'general_argument_invalid');
  });

  it('refuses a JSON body over PLINTH_JSON_BODY_LIMIT with 413', async () => {
    const response = await createDocument('closed', JSON.stringify({ documentId: 'a', data: { text: 'a'.repeat(JSON_LIMIT) } }));
    await assertError(response, 413, 'general_bad_request');
  });

  it('still accepts an upload larger than the JSON limit', async () => {
    const storage = new Storage(sdkClient(server, PROJECT, key));
    await storage.createBucket({ bucketId: 'uploads', name: 'uploads' });
    const file = await storage.createFile({ bucketId: 'uploads', fileId: ID.unique(), file: InputFile.fromBuffer(Buffer.alloc(JSON_LIMIT * 2, 1), 'big.bin') });
    assert.equal(file.sizeOriginal, JSON_LIMIT * 2);
  });

  it('answers a refused guest before looking at the fields it sent', async () => {
    const data = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, 'v']));
    const body = JSON.stringify({ documentId: 'a', data });
    await assertError(await createDocument('closed', body), 401, 'user_unauthorized');
    await assertError(await createDocument('missing', body), 404, 'collection_not_found');
    await assertError(await createDocument('closed', body, true), 400, 'document_invalid_structure');
  });

  it('still checks that data is an object first, as Appwrite does', async () => {
    await assertError(await createDocument('closed', JSON.stringify({ documentId: 'a', data: 'text' })), 400, 'general_argument_invalid');
    await assertError(await createDocument('closed', JSON.stringify({ documentId: 'a', data: [1] })), 400, 'general_argument_invalid');
  });
});
