import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jsonOf, TestServer } from '../support/plinth.js';
import { openRaw, parseRawResponse } from '../support/raw-http.js';

const PROJECT = 'edges';

/** Sends raw bytes and returns the answer the server closed the connection with. */
async function sendRaw(url: string, text: string): Promise<{ status: number; body: any }> {
  const { socket, closed } = await openRaw(url);
  socket.write(text);
  return parseRawResponse(await closed);
}

function assertAppwriteError(body: any, status: number, type: string): void {
  assert.deepEqual(Object.keys(body).sort(), ['code', 'message', 'type', 'version']);
  assert.equal(body.code, status);
  assert.equal(body.type, type);
}

describe('requests refused before they reach a route', () => {
  let server: TestServer;

  before(async () => {
    server = await TestServer.start();
    await server.createProject(PROJECT);
  });
  after(() => server.stop());

  it('answers headers over the size limit with 431 in Appwrite error JSON', async () => {
    const response = await sendRaw(server.url, `GET /v1/locale/codes HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    assert.equal(response.status, 431);
    assertAppwriteError(response.body, 431, 'general_bad_request');
  });

  it('answers a request that is not HTTP with 400 in Appwrite error JSON', async () => {
    const response = await sendRaw(server.url, 'NOT HTTP AT ALL\r\n\r\n');
    assert.equal(response.status, 400);
    assertAppwriteError(response.body, 400, 'general_bad_request');
  });

  it('answers a URL over 8 KB with 414', async () => {
    const response = await server.request(`/locale/codes?padding=${'a'.repeat(9000)}`, { project: PROJECT });
    assert.equal(response.status, 414);
    assertAppwriteError(await jsonOf(response), 414, 'general_bad_request');
  });

  it('answers a path that cannot be decoded with 400', async () => {
    const response = await sendRaw(server.url, `GET /v1/databases/%zz/collections HTTP/1.1\r\nHost: localhost\r\nX-Appwrite-Project: ${PROJECT}\r\nConnection: close\r\n\r\n`);
    assert.equal(response.status, 400);
    assertAppwriteError(response.body, 400, 'general_bad_request');
  });

  it('answers an overlong path parameter with general_argument_invalid', async () => {
    const response = await server.request(`/databases/${'a'.repeat(500)}/collections`, { project: PROJECT });
    assert.equal(response.status, 400);
    assertAppwriteError(await jsonOf(response), 400, 'general_argument_invalid');
  });
});
