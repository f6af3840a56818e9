// `npm run bench:storage`: a 100 MiB file up and down through the SDK and HTTP, against plain
// fs writing and reading the same bytes in the same run; the server's RSS while it takes the
// upload; previews per second of a 1600×1200 JPEG, cached and uncached.
// BENCH_STORAGE_MIB (100) sets the file size, BENCH_DURATION (10) the seconds per preview run.
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash, randomBytes } from 'node:crypto';
import { Client, Storage } from 'node-appwrite';
import { InputFile } from 'node-appwrite/file';
import sharp from 'sharp';
import { cleanupOnSignals, createCleanup } from './cleanup.js';
import { PROJECT_ID, startBenchProject } from './plinth.js';
import { readStatusKb } from './proc.js';
import { readLoadSettings } from './load.js';
import { resultsFile, runBench, writeResults } from './results.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = resultsFile('storage.md');
const MiB = 1024 * 1024;
const PREVIEW_CONNECTIONS = 4;

const log = (message: string) => process.stderr.write(`[bench:storage] ${message}\n`);

function readMiB(): number {
  const raw = process.env.BENCH_STORAGE_MIB;
  if (!raw) return 100;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 4096) throw new Error(`BENCH_STORAGE_MIB must be whole MiB from 1 to 4096, got "${raw}"`);
  return value;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await work();
  return { value, seconds: (performance.now() - started) / 1000 };
}

async function drain(stream: AsyncIterable<Uint8Array>): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream) bytes += chunk.length;
  return bytes;
}

/** Samples the server's resident memory every 20 ms until stopped; answers the highest. */
function sampleRss(pid: number): { stop: () => Promise<number | undefined> } {
  let peak: number | undefined;
  let running = true;
  const loop = (async () => {
    while (running) {
      const kb = await readStatusKb(pid, 'VmRSS');
      if (kb !== undefined) peak = Math.max(peak ?? 0, kb);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return peak;
    },
  };
}

/** As many GETs as `connections` loops finish in `seconds`; each loop asks for the next URL. */
async function requestsPerSecond(nextUrl: () => string, headers: Record<string, string>, seconds: number): Promise<{ perSecond: number; failures: number }> {
  let done = 0;
  let failures = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: PREVIEW_CONNECTIONS }, async () => {
      while (performance.now() < deadline) {
        const response = await fetch(nextUrl(), { headers });
        await response.arrayBuffer();
        if (response.status === 200) done++;
        else failures++;
      }
    }),
  );
  return { perSecond: done / ((performance.now() - started) / 1000), failures };
}

interface Transfer {
  label: string;
  uploadMBs: number;
  downloadMBs: number;
  peakRssKb: number | undefined;
}

async function main(): Promise<void> {
  const size = readMiB() * MiB;
  const { durationSeconds } = readLoadSettings(process.env);
  const cleanup = createCleanup();
  cleanupOnSignals(cleanup);
  try {
    const { dataDir, key, plinth, headers } = await startBenchProject(ROOT, cleanup);
    const pid = plinth.child.pid;
    const storage = new Storage(new Client().setEndpoint(`${plinth.url}/v1`).setProject(PROJECT_ID).setKey(key));

    // The source sits in the data dir's file system, so fs and the server write to the same disk.
    const bytes = randomBytes(size);
    const digest = createHash('sha256').update(bytes).digest('hex');
    const source = join(dataDir, 'source.bin');
    log(`plain fs: writing and reading ${size / MiB} MiB`);
    const fsWrite = await timed(() => writeFile(join(dataDir, 'fs-copy.bin'), bytes));
    await writeFile(source, bytes);
    const fsRead = await timed(() => drain(createReadStream(join(dataDir, 'fs-copy.bin'))));
    const MB = size / 1e6;
    const fsWriteMBs = MB / fsWrite.seconds;
    const fsReadMBs = MB / fsRead.seconds;

    const idleRssKb = await readStatusKb(pid, 'VmRSS');
    const transfers: Transfer[] = [];
    for (const bucket of [
      { id: 'plain', label: 'no compression, no encryption', encryption: false },
      { id: 'sealed', label: 'AES-256-GCM encryption', encryption: true },
    ]) {
      await storage.createBucket({ bucketId: bucket.id, name: bucket.id, maximumFileSize: size + MiB, encryption: bucket.encryption, antivirus: false });
      log(`${bucket.id}: uploading ${size / MiB} MiB through the SDK`);
      const rss = sampleRss(pid);
      const upload = await timed(() => storage.createFile({ bucketId: bucket.id, fileId: 'big', file: InputFile.fromPath(source, 'big.bin') }));
      const peakRssKb = await rss.stop();
      if (upload.value.sizeOriginal !== size) throw new Error(`uploaded ${upload.value.sizeOriginal} bytes`);
      log(`${bucket.id}: downloading over HTTP`);
      const download = await timed(async () => {
        const response = await fetch(`${plinth.url}/v1/storage/buckets/${bucket.id}/files/big/download`, { headers });
        if (response.status !== 200 || !response.body) throw new Error(`download answered ${response.status}`);
        return drain(response.body);
      });
      if (download.value !== size) throw new Error(`downloaded ${download.value} bytes`);
      const back = Buffer.from(await storage.getFileDownload({ bucketId: bucket.id, fileId: 'big' }));
      if (createHash('sha256').update(back).digest('hex') !== digest) throw new Error('the download differs from the upload');
      transfers.push({ label: bucket.label, uploadMBs: MB / upload.seconds, downloadMBs: MB / download.seconds, peakRssKb });
    }

    log('previews: uploading a 1600×1200 JPEG');
    const photo = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
      .jpeg({ quality: 85 })
      .toBuffer();
    await storage.createBucket({ bucketId: 'photos', name: 'photos', encryption: false, antivirus: false });
    await storage.createFile({ bucketId: 'photos', fileId: 'photo', file: InputFile.fromBuffer(photo, 'photo.jpg') });
    const previewUrl = (width: number) => `${plinth.url}/v1/storage/buckets/photos/files/photo/preview?width=${width}&project=${PROJECT_ID}`;
    const first = await fetch(previewUrl(400), { headers });
    if (first.status !== 200) throw new Error(`preview answered ${first.status}: ${await first.text()}`);
    await first.arrayBuffer();
    log(`previews: ${durationSeconds} s cached (one width)`);
    const cached = await requestsPerSecond(() => previewUrl(400), headers, durationSeconds);
    log(`previews: ${durationSeconds} s uncached (a new width each request)`);
    // Widths 401…3400 (the spec allows up to 4000): each is rendered once, as a first visit would.
    let asked = 0;
    const uncached = await requestsPerSecond(() => previewUrl(401 + (asked++ % 3000)), headers, durationSeconds);
    if (asked > 3000) log('previews: more than 3000 uncached requests: widths repeated, some hit the cache');

    const kb = (value: number | undefined) => (value === undefined ? 'n/a' : `${Math.round(value / 1024)} MiB`);
    const lines = [
      `# Storage benchmark`,
      '',
      `${new Date().toISOString()}, Node ${process.version}, local disk store, SQLite, file of ${size / MiB} MiB (random bytes).`,
      '',
      `Plain fs in the same run: write ${fsWriteMBs.toFixed(0)} MB/s, read ${fsReadMBs.toFixed(0)} MB/s (page cache warm).`,
      '',
      '| Bucket | Upload (SDK, 5 MiB chunks) | vs fs write | Download (HTTP) | vs fs read | Server RSS peak during upload |',
      '| --- | --- | --- | --- | --- | --- |',
      ...transfers.map(
        (t) =>
          `| ${t.label} | ${t.uploadMBs.toFixed(0)} MB/s | ${(t.uploadMBs / fsWriteMBs).toFixed(2)}× | ${t.downloadMBs.toFixed(0)} MB/s | ${(t.downloadMBs / fsReadMBs).toFixed(2)}× | ${kb(t.peakRssKb)} |`,
      ),
      '',
      `Server RSS idle before the uploads: ${kb(idleRssKb)}.`,
      '',
      `| Preview of a 1600×1200 JPEG (${PREVIEW_CONNECTIONS} concurrent requests, ${durationSeconds} s) | Requests/s | Failures |`,
      '| --- | --- | --- |',
      `| cached (width=400 every time) | ${cached.perSecond.toFixed(0)} | ${cached.failures} |`,
      `| uncached (a new width each request) | ${uncached.perSecond.toFixed(1)} | ${uncached.failures} |`,
      '',
    ];
    const markdown = lines.join('\n');
    await writeResults(RESULTS, markdown);
  } finally {
    await cleanup.run();
  }
}

await runBench('bench:storage', main);
