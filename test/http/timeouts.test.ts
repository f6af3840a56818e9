import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { TestServer } from '../support/plinth.js';
import { RealtimeSocket } from '../realtime/socket.js';
import { openRaw, parseRawResponse } from '../support/raw-http.js';

const PROJECT = 'timeouts';

/** Writes `text` a byte at a time, slower than no limit but faster than the idle limit, until closed. */
function drip(socket: Socket, text: string): void {
  let sent = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || sent >= text.length) return clearInterval(timer);
    socket.write(text[sent++]!);
  }, 100);
  socket.once('close', () => clearInterval(timer));
}

describe('connections that send too slowly', { timeout: 60_000 }, () => {
  let server: TestServer;

  before(async () => {
    server = await TestServer.start({
      env: { PLINTH_HEADERS_TIMEOUT: '1', PLINTH_REQUEST_TIMEOUT: '2', PLINTH_BODY_IDLE_TIMEOUT: '1', PLINTH_KEEP_ALIVE_TIMEOUT: '1' },
    });
    await server.createProject(PROJECT);
  });
  after(async () => {
    await server.stop();
  });

  it('closes a connection dripping its headers with 408 in Appwrite error JSON', async () => {
    const { socket, closed } = await openRaw(server.url);
    socket.write('GET /v1/health/version HTTP/1.1\r\nHost: localhost\r\n');
    drip(socket, `X-Slow: ${'a'.repeat(1000)}\r\n`);
    const response = parseRawResponse(await closed);
    assert.equal(response.status, 408);
    assert.deepEqual(response.body, { message: 'The request was not received in time.', code: 408, type: 'general_bad_request', version: '1.9.6' });
  });

  it('closes a connection dripping its body', async () => {
    const { socket, closed } = await openRaw(server.url);
    const body = JSON.stringify({ padding: 'a'.repeat(1000) });
    socket.write(`POST /v1/account/sessions/anonymous HTTP/1.1\r\nHost: localhost\r\nX-Appwrite-Project: ${PROJECT}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
    drip(socket, body);
    await closed;
  });

  it('closes a connection whose upload stops sending', async () => {
    const { socket, closed } = await openRaw(server.url);
    socket.write(
      `POST /v1/storage/buckets/b/files HTTP/1.1\r\nHost: localhost\r\nX-Appwrite-Project: ${PROJECT}\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 100000\r\n\r\n--x\r\n`,
    );
    await closed;
  });

  it('closes a kept-alive connection left idle after its response', async () => {
    const { socket, closed } = await openRaw(server.url);
    socket.write('GET /v1/health/version HTTP/1.1\r\nHost: localhost\r\n\r\n');
    assert.equal(parseRawResponse(await closed).status, 200);
  });

  it('keeps a realtime websocket open past every limit', async () => {
    const { socket: realtime } = await RealtimeSocket.connect(server.endpoint, `project=${PROJECT}`);
    try {
      // A dripping body is dropped only once the whole-request limit passed, the longest of them.
      const { socket, closed } = await openRaw(server.url);
      socket.write(`POST /v1/account/sessions/anonymous HTTP/1.1\r\nHost: localhost\r\nX-Appwrite-Project: ${PROJECT}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`);
      drip(socket, 'a'.repeat(1000));
      await closed;
      assert.equal((await realtime.request({ type: 'ping' })).type, 'pong');
    } finally {
      realtime.close();
    }
  });
});
