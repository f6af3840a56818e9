import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { parseClamavAddress, scanStream, type ClamavAddress } from './clamav.js';

const SIGNATURE_MARK = Buffer.from('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR');

const openSockets = new WeakMap<Server, Set<Socket>>();

interface FakeClamd {
  address: ClamavAddress;
  /** SHA-256 of every stream received, in order. */
  received: string[];
  server: Server;
}

/**
 * Speaks clamd's INSTREAM protocol: reassembles the length-prefixed chunks, then answers
 * FOUND when the bytes hold the test signature, OK otherwise, or an ERROR over `limit`.
 */
async function startFakeClamd(behaviour: { limit?: number; silent?: boolean } = {}): Promise<FakeClamd> {
  const received: string[] = [];
  const server = createServer((socket: Socket) => {
    let buffered = Buffer.alloc(0);
    let commandRead = false;
    const chunks: Buffer[] = [];
    let total = 0;
    socket.on('error', () => undefined);
    socket.on('data', (data: Buffer) => {
      if (behaviour.silent) return;
      buffered = Buffer.concat([buffered, data]);
      if (!commandRead) {
        const end = buffered.indexOf(0);
        if (end < 0) return;
        assert.equal(buffered.subarray(0, end).toString(), 'zINSTREAM');
        buffered = buffered.subarray(end + 1);
        commandRead = true;
      }
      while (buffered.length >= 4) {
        const length = buffered.readUInt32BE(0);
        if (length === 0) {
          const stream = Buffer.concat(chunks);
          received.push(createHash('sha256').update(stream).digest('hex'));
          const verdict = stream.includes(SIGNATURE_MARK) ? 'stream: Eicar-Test-Signature FOUND' : 'stream: OK';
          socket.end(`${verdict}\0`);
          return;
        }
        if (buffered.length < 4 + length) return;
        chunks.push(buffered.subarray(4, 4 + length));
        total += length;
        buffered = buffered.subarray(4 + length);
        if (behaviour.limit !== undefined && total > behaviour.limit) {
          socket.end('INSTREAM size limit exceeded. ERROR\0');
          return;
        }
      }
    });
  });
  const sockets = new Set<Socket>();
  openSockets.set(server, sockets);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { address: { host: '127.0.0.1', port }, received, server };
}

function closeServer(server: Server): Promise<void> {
  for (const socket of openSockets.get(server) ?? []) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('scanStream', () => {
  let clamd: FakeClamd;
  before(async () => {
    clamd = await startFakeClamd();
  });
  after(() => closeServer(clamd.server));

  it('reports a clean stream and sends its bytes intact, chunk by chunk', async () => {
    const body = randomBytes(300 * 1024 + 7);
    const pieces = [body.subarray(0, 1), body.subarray(1, 200_000), body.subarray(200_000)];
    assert.deepEqual(await scanStream(clamd.address, Readable.from(pieces)), { clean: true });
    assert.equal(clamd.received.at(-1), createHash('sha256').update(body).digest('hex'));
  });

  it('reports an empty stream as clean', async () => {
    assert.deepEqual(await scanStream(clamd.address, Readable.from([])), { clean: true });
  });

  it('names the signature of an infected stream', async () => {
    const body = Buffer.concat([randomBytes(1000), SIGNATURE_MARK, randomBytes(10)]);
    assert.deepEqual(await scanStream(clamd.address, Readable.from([body])), { clean: false, signature: 'Eicar-Test-Signature' });
  });

  it('rejects with clamd’s reason when it refuses the stream', async () => {
    const limited = await startFakeClamd({ limit: 100 * 1024 });
    try {
      const huge = Readable.from((function* () {
        for (let i = 0; i < 200; i++) yield randomBytes(64 * 1024);
      })());
      await assert.rejects(scanStream(limited.address, huge), /size limit exceeded/);
    } finally {
      await closeServer(limited.server);
    }
  });

  it('rejects when clamd cannot be reached or stays silent', async () => {
    const gone = await startFakeClamd();
    await closeServer(gone.server);
    await assert.rejects(scanStream(gone.address, Readable.from([Buffer.from('x')])), /clamd/);
    const silent = await startFakeClamd({ silent: true });
    try {
      await assert.rejects(scanStream(silent.address, Readable.from([Buffer.from('x')]), { timeout: 200 }), /in time/);
    } finally {
      await closeServer(silent.server);
    }
  });

  it('rejects when the body fails mid-stream', async () => {
    const failing = new Readable({ read() { this.destroy(new Error('disk gone')); } });
    await assert.rejects(scanStream(clamd.address, failing), /disk gone/);
  });
});

describe('parseClamavAddress', () => {
  it('reads host:port, defaulting to clamd’s port', () => {
    assert.deepEqual(parseClamavAddress('clamav:3311'), { host: 'clamav', port: 3311 });
    assert.deepEqual(parseClamavAddress('127.0.0.1'), { host: '127.0.0.1', port: 3310 });
    assert.deepEqual(parseClamavAddress('[::1]:3310'), { host: '::1', port: 3310 });
    assert.throws(() => parseClamavAddress('host:99999'));
    assert.throws(() => parseClamavAddress(''));
  });
});
