import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ID, ImageFormat, ImageGravity, Permission, Role, Storage } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import sharp from 'sharp';
import { jsonOf, TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';

const PROJECT = 'previews';

/** 400×300 JPEG: left half red, right half blue. */
async function halvesJpeg(): Promise<Buffer> {
  const red = await sharp({ create: { width: 200, height: 300, channels: 3, background: '#ff0000' } }).png().toBuffer();
  return sharp({ create: { width: 400, height: 300, channels: 3, background: '#0000ff' } })
    .composite([{ input: red, left: 0, top: 0 }])
    .jpeg({ quality: 95 })
    .toBuffer();
}

async function pixel(image: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [...data.subarray(at, at + info.channels)];
}

function near(actual: number[], expected: number[], tolerance = 24): void {
  actual.forEach((value, i) => assert.ok(Math.abs(value - expected[i]!) <= tolerance, `got ${actual}, want ${expected}`));
}

const metadataOf = async (body: ArrayBuffer) => sharp(Buffer.from(body)).metadata();

describe('file previews', () => {
  let server: TestServer;
  let storage: Storage;
  let bucketId: string;
  let photoId: string;

  before(async () => {
    server = await TestServer.start();
    await server.createProject(PROJECT);
    storage = new Storage(sdkClient(server, PROJECT, await server.createKey(PROJECT)));
    bucketId = (await storage.createBucket(ID.unique(), 'photos', [Permission.read(Role.any())], false, true)).$id;
    const photo = await storage.createFile(bucketId, ID.unique(), InputFile.fromBuffer(await halvesJpeg(), 'photo.jpg'));
    photoId = photo.$id;
  });
  after(() => server?.stop());

  it('returns the image in its own format and size when no parameter is given', async () => {
    const meta = await metadataOf(await storage.getFilePreview(bucketId, photoId));
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 400, 300]);
  });

  it('crops to both sides around the gravity, and scales by one side', async () => {
    const left = Buffer.from(await storage.getFilePreview(bucketId, photoId, 100, 100, ImageGravity.Left));
    const right = Buffer.from(await storage.getFilePreview(bucketId, photoId, 100, 100, ImageGravity.Right));
    const meta = await sharp(left).metadata();
    assert.deepEqual([meta.width, meta.height], [100, 100]);
    near(await pixel(left, 50, 50), [255, 0, 0, 255]);
    near(await pixel(right, 50, 50), [0, 0, 255, 255]);
    const scaled = await metadataOf(await storage.getFilePreview(bucketId, photoId, 200));
    assert.deepEqual([scaled.width, scaled.height], [200, 150]);
  });

  it('encodes every output format the SDK offers but HEIC', async () => {
    const expected: [ImageFormat, string][] = [
      [ImageFormat.Jpg, 'jpeg'],
      [ImageFormat.Jpeg, 'jpeg'],
      [ImageFormat.Png, 'png'],
      [ImageFormat.Webp, 'webp'],
      [ImageFormat.Avif, 'heif'],
      [ImageFormat.Gif, 'gif'],
    ];
    for (const [output, format] of expected) {
      const body = await storage.getFilePreview({ bucketId, fileId: photoId, width: 40, output });
      assert.equal((await metadataOf(body)).format, format, output);
    }
    const raw = await server.request(`/storage/buckets/${bucketId}/files/${photoId}/preview?output=webp&width=10`, { project: PROJECT });
    assert.equal(raw.headers.get('content-type'), 'image/webp');
  });

  it('lowers the quality on request', async () => {
    const noise = await sharp({ create: { width: 200, height: 200, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 50 } } })
      .png()
      .toBuffer();
    const file = await storage.createFile(bucketId, ID.unique(), InputFile.fromBuffer(noise, 'noise.png'));
    for (const output of [ImageFormat.Jpg, ImageFormat.Webp]) {
      const low = await storage.getFilePreview({ bucketId, fileId: file.$id, quality: 5, output });
      const high = await storage.getFilePreview({ bucketId, fileId: file.$id, quality: 95, output });
      assert.ok(low.byteLength * 2 < high.byteLength, `${output}: ${low.byteLength} vs ${high.byteLength}`);
    }
  });

  it('applies border, rounded corners, opacity, rotation and background', async () => {
    const framed = Buffer.from(
      await storage.getFilePreview({
        bucketId, fileId: photoId, width: 100, height: 100, borderWidth: 10, borderColor: '00ff00', borderRadius: 20, output: ImageFormat.Png,
      }),
    );
    const meta = await sharp(framed).metadata();
    assert.deepEqual([meta.width, meta.height], [120, 120]);
    assert.equal((await pixel(framed, 0, 0))[3], 0);
    near(await pixel(framed, 60, 3), [0, 255, 0, 255], 2);

    const faded = Buffer.from(await storage.getFilePreview({ bucketId, fileId: photoId, width: 40, opacity: 0.5, output: ImageFormat.Png }));
    assert.ok(Math.abs((await pixel(faded, 20, 10))[3]! - 128) <= 2);

    const turned = Buffer.from(
      await storage.getFilePreview({ bucketId, fileId: photoId, width: 40, rotation: 45, background: 'ffff00', output: ImageFormat.Png }),
    );
    const turnedMeta = await sharp(turned).metadata();
    assert.ok(turnedMeta.width! > 40);
    // The corners a rotation uncovers take the background colour.
    near(await pixel(turned, 0, 0), [255, 255, 0, 255], 2);
  });

  it("turns onto the canvas Appwrite's previews get, whichever way the angle is written", async () => {
    // Appwrite's own check: 300×100, rounded, faded, turned 45° (or -315°) is 284×284 as PNG.
    for (const rotation of [45, -315]) {
      const turned = await metadataOf(
        await storage.getFilePreview({ bucketId, fileId: photoId, width: 300, height: 100, borderRadius: 50, opacity: 0.5, output: ImageFormat.Png, rotation }),
      );
      assert.deepEqual([turned.format, turned.width, turned.height], ['png', 284, 284]);
    }
    const bordered = await metadataOf(
      await storage.getFilePreview({ bucketId, fileId: photoId, width: 200, height: 80, borderWidth: 5, borderColor: 'ff0000', output: ImageFormat.Jpg }),
    );
    assert.deepEqual([bordered.format, bordered.width, bordered.height], ['jpeg', 210, 90]);
  });

  it('serves a cached rendering with the same bytes, and forgets it with the file', async () => {
    const file = await storage.createFile(bucketId, ID.unique(), InputFile.fromBuffer(await halvesJpeg(), 'again.jpg'));
    const first = Buffer.from(await storage.getFilePreview(bucketId, file.$id, 64, 48, undefined, 70, 2, 'abc'));
    const second = Buffer.from(await storage.getFilePreview(bucketId, file.$id, 64, 48, undefined, 70, 2, 'ABC'));
    assert.ok(first.equals(second));
    await storage.deleteFile(bucketId, file.$id);
    await rejectsWith(storage.getFilePreview(bucketId, file.$id, 64, 48), 404, 'storage_file_not_found');
  });

  it('answers an icon of the requested size for files that are not images', async () => {
    const text = await storage.createFile(bucketId, ID.unique(), InputFile.fromPlainText('quarterly numbers', 'report.txt'));
    const icon = await metadataOf(await storage.getFilePreview(bucketId, text.$id, 64, 80));
    assert.deepEqual([icon.format, icon.width, icon.height], ['png', 64, 80]);
    // Appwrite's light grey fills the corners unless another background is asked for.
    assert.deepEqual(await pixel(Buffer.from(await storage.getFilePreview(bucketId, text.$id, 64, 80)), 0, 0), [0xec, 0xef, 0xf1, 255]);
    assert.deepEqual(await pixel(Buffer.from(await storage.getFilePreview({ bucketId, fileId: text.$id, width: 64, background: '102030' })), 0, 0), [0x10, 0x20, 0x30, 255]);
    const broken = await storage.createFile(bucketId, ID.unique(), InputFile.fromBuffer(Buffer.from('\x89PNG\r\n\x1a\nbroken'), 'broken.png'));
    const brokenIcon = await metadataOf(await storage.getFilePreview({ bucketId, fileId: broken.$id, width: 32, output: ImageFormat.Webp }));
    assert.deepEqual([brokenIcon.format, brokenIcon.width, brokenIcon.height], ['webp', 32, 32]);
  });

  it('refuses parameters outside the documented ranges with general_argument_invalid', async () => {
    const bad: Record<string, unknown>[] = [
      { width: 4001 },
      { height: -1 },
      { gravity: 'middle' },
      { quality: 101 },
      { quality: -2 },
      { borderWidth: 101 },
      { borderColor: 'zzz' },
      { borderRadius: 4001 },
      { opacity: 1.5 },
      { rotation: 361 },
      { background: '#fff' },
      { output: 'bmp' },
      { output: 'heic' },
    ];
    for (const params of bad) {
      await rejectsWith(storage.getFilePreview({ bucketId, fileId: photoId, ...params } as never), 400, 'general_argument_invalid');
    }
    const text = await server.request(`/storage/buckets/${bucketId}/files/${photoId}/preview?width=wide`, { project: PROJECT });
    assert.equal(text.status, 400);
    assert.equal((await jsonOf(text)).type, 'general_argument_invalid');
    // Still serving after the refusals.
    assert.equal((await metadataOf(await storage.getFilePreview(bucketId, photoId, 10))).width, 10);
  });

  it('answers 404 for unknown files and buckets', async () => {
    await rejectsWith(storage.getFilePreview(bucketId, 'missing'), 404, 'storage_file_not_found');
    await rejectsWith(storage.getFilePreview('missing', photoId), 404, 'storage_bucket_not_found');
  });

  it('serves guests as a browser <img> asks: project in the query, no headers', async () => {
    const response = await fetch(`${server.endpoint}/storage/buckets/${bucketId}/files/${photoId}/preview?project=${PROJECT}&width=30&output=png`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'image/png');
    assert.equal((await sharp(Buffer.from(await response.arrayBuffer())).metadata()).width, 30);
  });

  it('refuses transformations to guests when the bucket turns them off', async () => {
    const plain = await storage.createBucket(ID.unique(), 'plain', [Permission.read(Role.any())], false, true, undefined, undefined, undefined, false, false, false);
    const file = await storage.createFile(plain.$id, ID.unique(), InputFile.fromBuffer(await halvesJpeg(), 'plain.jpg'));
    const guest = new Storage(sdkClient(server, PROJECT));
    await rejectsWith(guest.getFilePreview(plain.$id, file.$id, 10), 403, 'storage_bucket_transformations_disabled');
    assert.equal((await metadataOf(await guest.getFilePreview(bucketId, photoId, 10))).width, 10);
  });

  it('previews files of compressed and encrypted buckets', async () => {
    const sealed = await storage.createBucket({
      bucketId: ID.unique(), name: 'sealed', permissions: [Permission.read(Role.any())], compression: 'zstd' as never, encryption: true,
    });
    const file = await storage.createFile(sealed.$id, ID.unique(), InputFile.fromBuffer(await halvesJpeg(), 'sealed.jpg'));
    for (let i = 0; i < 2; i++) {
      const left = Buffer.from(await storage.getFilePreview(sealed.$id, file.$id, 50, 50, ImageGravity.Left, undefined, undefined, undefined, undefined, undefined, undefined, undefined, ImageFormat.Png));
      near(await pixel(left, 25, 25), [255, 0, 0, 255]);
    }
  });
});
