import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { buffer as collect } from 'node:stream/consumers';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { FileNotStoredError, type ByteRange, type FileStore } from '../../infra/files/file-store.js';
import { previewFile, previewQuery } from './file-preview.js';

/** Enough of a store to watch what the preview cache writes. */
class MemoryFileStore implements FileStore {
  readonly entries = new Map<string, Buffer>();
  async write(path: string, body: Readable): Promise<number> {
    const bytes = await collect(body);
    this.entries.set(path, bytes);
    return bytes.length;
  }
  async read(path: string, range?: ByteRange): Promise<Readable> {
    const bytes = this.entries.get(path);
    if (!bytes) throw new FileNotStoredError(path);
    return Readable.from([range ? bytes.subarray(range.start, range.end + 1) : bytes]);
  }
  async size(path: string): Promise<number | undefined> {
    return this.entries.get(path)?.length;
  }
  async delete(path: string): Promise<void> {
    this.entries.delete(path);
  }
  async deletePrefix(prefix: string): Promise<void> {
    for (const path of await this.list(prefix)) this.entries.delete(path);
  }
  async list(prefix: string): Promise<string[]> {
    return [...this.entries.keys()].filter((path) => path.startsWith(prefix));
  }
}

const photo = () => sharp({ create: { width: 160, height: 120, channels: 3, background: '#336699' } }).jpeg().toBuffer();

describe('previewQuery', () => {
  it('coerces query strings and fills defaults', () => {
    const parsed = previewQuery.parse({ width: '100', opacity: '0.5', output: 'webp', project: 'ignored' });
    assert.deepEqual(parsed, {
      width: 100, height: 0, gravity: 'center', quality: -1, borderWidth: 0, borderColor: '', borderRadius: 0,
      opacity: 0.5, rotation: 0, background: '', output: 'webp',
    });
  });

  it('refuses values outside the ranges of the API', () => {
    const bad = [
      { width: '4001' }, { height: '-1' }, { width: 'wide' }, { width: '1.5' }, { gravity: 'middle' }, { quality: '101' },
      { quality: '-2' }, { borderWidth: '101' }, { borderColor: 'red' }, { borderColor: '#fff' }, { borderRadius: '4001' },
      { opacity: '1.1' }, { opacity: '-0.1' }, { rotation: '361' }, { rotation: '-361' }, { background: 'ggg' }, { output: 'heic' },
      { output: 'bmp' },
    ];
    for (const query of bad) assert.equal(previewQuery.safeParse(query).success, false, JSON.stringify(query));
    assert.equal(previewQuery.safeParse({ width: '4000', rotation: '-360', borderColor: 'ABC', background: 'a1b2c3' }).success, true);
    const blanks = previewQuery.parse({ width: '', opacity: '', quality: '', output: '', borderColor: '' });
    assert.deepEqual([blanks.width, blanks.opacity, blanks.quality, blanks.output], [0, 1, -1, '']);
  });
});

describe('previewFile', () => {
  it('renders once, then serves the cached rendering for the same options', async () => {
    const files = new MemoryFileStore();
    let reads = 0;
    const readOriginal = async () => {
      reads += 1;
      return photo();
    };
    const input = { files, cachePath: 'cache/p/b/f', mimeType: 'image/jpeg', readOriginal };
    const first = await previewFile({ ...input, options: previewQuery.parse({ width: '40', output: 'png' }) });
    assert.equal(first.contentType, 'image/png');
    assert.equal((await sharp(first.body).metadata()).width, 40);
    const again = await previewFile({ ...input, options: previewQuery.parse({ width: 40, output: 'png', token: 't' }) });
    assert.deepEqual(again, first);
    assert.equal(reads, 1);
    assert.deepEqual([...files.entries.keys()].every((path) => path.startsWith('cache/p/b/f/')), true);

    const other = await previewFile({ ...input, options: previewQuery.parse({ width: '40' }) });
    assert.equal(other.contentType, 'image/jpeg');
    assert.equal(reads, 2);
    assert.equal(files.entries.size, 2);
  });

  it('gives non-images and undecodable images an icon of the requested size', async () => {
    const files = new MemoryFileStore();
    const pdf = await previewFile({
      files, cachePath: 'c/pdf', mimeType: 'application/pdf', name: 'report.pdf',
      readOriginal: async () => assert.fail('a PDF is never read'), options: previewQuery.parse({ width: '64', height: '48' }),
    });
    const meta = await sharp(pdf.body).metadata();
    assert.deepEqual([pdf.contentType, meta.width, meta.height], ['image/png', 64, 48]);

    const broken = await previewFile({
      files, cachePath: 'c/broken', mimeType: 'image/png', readOriginal: async () => Buffer.from('not a png'),
      options: previewQuery.parse({ output: 'webp' }),
    });
    assert.equal(broken.contentType, 'image/webp');
  });

  it('does not read originals above the preview limit', async () => {
    const rendered = await previewFile({
      files: new MemoryFileStore(), cachePath: 'c/big', mimeType: 'image/jpeg', size: 50 * 1024 * 1024,
      readOriginal: async () => assert.fail('too large to read'), options: previewQuery.parse({}),
    });
    assert.equal(rendered.contentType, 'image/png');
  });

  it('seals cached renderings with the codec it is given', async () => {
    const files = new MemoryFileStore();
    const cacheCodec = { seal: (plain: Buffer) => Buffer.concat([Buffer.from('X'), plain]), open: (stored: Buffer) => stored.subarray(1) };
    const input = { files, cachePath: 'c/sealed', mimeType: 'image/jpeg', readOriginal: photo, options: previewQuery.parse({}), cacheCodec };
    const first = await previewFile(input);
    const [stored] = [...files.entries.values()];
    assert.equal(stored!.subarray(0, 1).toString(), 'X');
    assert.deepEqual(await previewFile({ ...input, readOriginal: async () => assert.fail('cached') }), first);
  });
});
