import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WebSocket } from 'ws';
import { RealtimeConnection } from './connection.js';
import { DEFAULT_REALTIME_SETTINGS } from './settings.js';

function fakeSocket(bufferedAmount: number) {
  const socket = { readyState: 1, bufferedAmount, sent: [] as string[], terminated: false, send(text: string) { socket.sent.push(text); }, terminate() { socket.terminated = true; } };
  return socket;
}

describe('RealtimeConnection', () => {
  it('drops a slow consumer instead of buffering for it', () => {
    const settings = { ...DEFAULT_REALTIME_SETTINGS, maxBufferedBytes: 1000 };
    const fast = fakeSocket(10);
    new RealtimeConnection('p', fast as unknown as WebSocket, settings).send('x');
    assert.deepEqual(fast.sent, ['x']);
    const slow = fakeSocket(1001);
    new RealtimeConnection('p', slow as unknown as WebSocket, settings).send('x');
    assert.deepEqual(slow.sent, []);
    assert.equal(slow.terminated, true);
  });

  it('counts messages per minute, and 0 means no limit', () => {
    const limited = new RealtimeConnection('p', fakeSocket(0) as unknown as WebSocket, { ...DEFAULT_REALTIME_SETTINGS, messagesPerMinute: 2 });
    assert.deepEqual([limited.allowMessage(0), limited.allowMessage(1), limited.allowMessage(2)], [true, true, false]);
    assert.equal(limited.allowMessage(60_000), true);
    const open = new RealtimeConnection('p', fakeSocket(0) as unknown as WebSocket, { ...DEFAULT_REALTIME_SETTINGS, messagesPerMinute: 0 });
    for (let i = 0; i < 100; i++) assert.equal(open.allowMessage(0), true);
  });
});
