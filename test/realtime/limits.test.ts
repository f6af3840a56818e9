import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestServer } from '../support/plinth.js';
import { RealtimeSocket } from './socket.js';

const PROJECT = 'limits';

describe('realtime limits', () => {
  let server: TestServer;
  const open: RealtimeSocket[] = [];
  let opened = 0;

  async function connect() {
    const result = await RealtimeSocket.connect(server.endpoint, `project=${PROJECT}`);
    opened++;
    open.push(result.socket);
    return result;
  }

  before(async () => {
    server = await TestServer.start({
      env: { PLINTH_REALTIME_MESSAGES_PER_MINUTE: '5', PLINTH_REALTIME_CONNECTIONS_PER_MINUTE: '4', PLINTH_REALTIME_MAX_FRAME: '1024' },
    });
    await server.createProject(PROJECT);
  });
  after(async () => {
    for (const socket of open) socket.close();
    await server.stop();
  });

  test('a connection over its messages per minute gets error 1013 and keeps its socket', async () => {
    const { socket } = await connect();
    for (let i = 0; i < 5; i++) assert.equal((await socket.request({ type: 'ping' })).type, 'pong');
    assert.deepEqual(await socket.request({ type: 'ping' }), { type: 'error', data: { code: 1013, message: 'Too many messages.' } });
    assert.equal(socket.socket.readyState, socket.socket.OPEN);
  });

  test('a frame over the limit closes the socket with 1009', async () => {
    const { socket } = await connect();
    socket.send({ type: 'ping', data: 'x'.repeat(2000) });
    assert.equal((await socket.closed).code, 1009);
  });

  test('an address over its connections per minute is refused with 1013', async () => {
    while (opened < 4) await connect();
    const refused = await RealtimeSocket.open(server.endpoint, `project=${PROJECT}`);
    const error = await refused.next();
    assert.deepEqual(error, { type: 'error', data: { code: 1013, message: 'Too many requests' } });
    assert.equal((await refused.closed).code, 1013);
    // REST is not affected.
    assert.equal((await server.request('/health/version')).status, 200);
  });
});
