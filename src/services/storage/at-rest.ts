import { createCipheriv, createDecipheriv, randomBytes, type DecipherGCM } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { deriveKey } from '../../core/derived-keys.js';
import { onFirstUse } from '../../core/load-package.js';

/**
 * How file bytes are kept at rest. Sealed objects are AES-256-GCM: a 12-byte IV, the
 * ciphertext, then the 16-byte tag. zstd objects are a run of independent frames, each
 * behind its 4-byte big-endian length, because the zstd library works on whole buffers:
 * input is cut into blocks so memory stays bounded whatever the file size.
 */

const IV_BYTES = 12;
const TAG_BYTES = 16;
const ZSTD_BLOCK = 5 * 1024 * 1024;
const ZSTD_LEVEL = 3;

/** Each project seals its files with its own key, derived from the server secret. */
export function fileKey(secretKey: Buffer, projectId: string): Buffer {
  return deriveKey(secretKey, 'files', projectId);
}

export function sealStream(key: Buffer): Transform {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  let started = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (!started) {
        started = true;
        this.push(iv);
      }
      done(null, cipher.update(chunk));
    },
    flush(done) {
      if (!started) this.push(iv);
      this.push(cipher.final());
      done(null, cipher.getAuthTag());
    },
  });
}

/** Reverses sealStream; fails at the end when the bytes were changed. */
export function openStream(key: Buffer): Transform {
  let head: Buffer = Buffer.alloc(0);
  let decipher: DecipherGCM | undefined;
  // The last 16 bytes may be the tag, so they are held back until more arrives.
  let tail: Buffer = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      let data = chunk;
      if (!decipher) {
        head = Buffer.concat([head, data]);
        if (head.length < IV_BYTES) return done();
        decipher = createDecipheriv('aes-256-gcm', key, head.subarray(0, IV_BYTES));
        data = head.subarray(IV_BYTES);
      }
      const joined = tail.length === 0 ? data : Buffer.concat([tail, data]);
      const cut = Math.max(0, joined.length - TAG_BYTES);
      tail = Buffer.from(joined.subarray(cut));
      done(null, cut > 0 ? decipher.update(joined.subarray(0, cut)) : undefined);
    },
    flush(done) {
      if (!decipher || tail.length !== TAG_BYTES) return done(new Error('sealed object is truncated'));
      try {
        decipher.setAuthTag(tail);
        done(null, decipher.final());
      } catch (error) {
        done(error as Error);
      }
    },
  });
}

/** The WebAssembly build is loaded with the first zstd bucket's first file. */
const loadZstd = onFirstUse<typeof import('@bokuweb/zstd-wasm')>('@bokuweb/zstd-wasm');
let zstdReady: Promise<void> | undefined;
async function zstd(): Promise<void> {
  zstdReady ??= loadZstd().init();
  await zstdReady;
}

export function compressStream(algorithm: string): Transform | undefined {
  if (algorithm === 'gzip') return createGzip();
  if (algorithm === 'zstd') return zstdFrames();
  return undefined;
}

export function decompressStream(algorithm: string): Transform | undefined {
  if (algorithm === 'gzip') return createGunzip();
  if (algorithm === 'zstd') return zstdUnframe();
  return undefined;
}

function frame(block: Buffer): Buffer {
  const compressed = loadZstd().compress(block, ZSTD_LEVEL);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(compressed.length);
  return Buffer.concat([length, Buffer.from(compressed.buffer, compressed.byteOffset, compressed.byteLength)]);
}

function zstdFrames(): Transform {
  const pending: Buffer[] = [];
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      zstd().then(() => {
        pending.push(chunk);
        size += chunk.length;
        while (size >= ZSTD_BLOCK) {
          const all = Buffer.concat(pending);
          this.push(frame(all.subarray(0, ZSTD_BLOCK)));
          const rest = all.subarray(ZSTD_BLOCK);
          pending.length = 0;
          if (rest.length > 0) pending.push(rest);
          size = rest.length;
        }
        done();
      }, done);
    },
    flush(done) {
      zstd().then(() => {
        if (size > 0) this.push(frame(Buffer.concat(pending)));
        done();
      }, done);
    },
  });
}

function zstdUnframe(): Transform {
  let buffered: Buffer = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      zstd().then(() => {
        buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
        while (buffered.length >= 4) {
          const length = buffered.readUInt32BE(0);
          if (buffered.length < 4 + length) break;
          const plain = loadZstd().decompress(buffered.subarray(4, 4 + length));
          this.push(Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength));
          buffered = buffered.subarray(4 + length);
        }
        done();
      }, done);
    },
    flush(done) {
      done(buffered.length === 0 ? null : new Error('zstd object is truncated'));
    },
  });
}

/** Passes on only bytes start..end (inclusive) of what flows through, then stops. */
export function sliceStream(start: number, end: number): Transform {
  let offset = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const from = Math.max(0, start - offset);
      const to = Math.min(chunk.length, end + 1 - offset);
      offset += chunk.length;
      done(null, from < to ? chunk.subarray(from, to) : undefined);
    },
  });
}

/** sealStream over a buffer already in memory (rendered previews): the same layout. */
export function sealBuffer(key: Buffer, plain: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  return Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

export function openBuffer(key: Buffer, sealed: Buffer): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('sealed object is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
}
