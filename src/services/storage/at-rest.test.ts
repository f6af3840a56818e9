import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { PassThrough, type Transform } from 'node:stream';
import { describe, test } from 'node:test';
import { compressStream, decompressStream, fileKey, openBuffer, openStream, sealBuffer, sealStream, sliceStream } from './at-rest.js';

async function through(input: Buffer, stages: Transform[], pieces = 7): Promise<Buffer> {
  const parts: Buffer[] = [];
  const step = Math.max(1, Math.ceil(input.length / pieces));
  for (let at = 0; at < input.length; at += step) parts.push(input.subarray(at, at + step));
  const out = new PassThrough();
  const [, result] = await Promise.all([pipeline([Readable.from(parts), ...stages, out]), buffer(out)]);
  return result;
}

const key = fileKey(randomBytes(32), 'project');

describe('files at rest', () => {
  test('sealing round trips in any piece sizes, and the key depends on the project', async () => {
    for (const size of [0, 1, 15, 16, 17, 100_000]) {
      const plain = randomBytes(size);
      const sealed = await through(plain, [sealStream(key)]);
      assert.equal(sealed.length, size + 28);
      assert.ok((await through(sealed, [openStream(key)], 13)).equals(plain), String(size));
      assert.ok(openBuffer(key, sealed).equals(plain));
      assert.ok(openBuffer(key, sealBuffer(key, plain)).equals(plain));
    }
    const secret = randomBytes(32);
    assert.notDeepEqual(fileKey(secret, 'a'), fileKey(secret, 'b'));
  });

  test('a changed or cut sealed object fails to open', async () => {
    const sealed = await through(Buffer.from('attack at dawn'), [sealStream(key)]);
    const changed = Buffer.from(sealed);
    changed[14]! ^= 1;
    await assert.rejects(through(changed, [openStream(key)]));
    await assert.rejects(through(sealed.subarray(0, sealed.length - 1), [openStream(key)]));
    await assert.rejects(through(sealed, [openStream(fileKey(randomBytes(32), 'project'))]));
  });

  test('gzip and zstd round trip across zstd block boundaries', async () => {
    const plain = Buffer.concat([Buffer.alloc(6 * 1024 * 1024, 'abc'), randomBytes(1000)]);
    for (const algorithm of ['gzip', 'zstd']) {
      const packed = await through(plain, [compressStream(algorithm)!]);
      assert.ok(packed.length < plain.length / 2, algorithm);
      assert.ok((await through(packed, [decompressStream(algorithm)!], 31)).equals(plain), algorithm);
    }
    assert.equal(compressStream('none'), undefined);
  });

  test('a slice passes only the bytes asked for', async () => {
    const plain = randomBytes(1000);
    assert.ok((await through(plain, [sliceStream(10, 19)], 9)).equals(plain.subarray(10, 20)));
    assert.ok((await through(plain, [sliceStream(990, 999)], 9)).equals(plain.subarray(990)));
  });
});
