import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error s3rver ships no type declarations
import S3rver from 's3rver';

export const S3_TEST_BUCKET = 'plinth';
const KEY = 'S3RVER';
const SECRET = 'S3RVER';

/** An S3-compatible server on a free port, keeping its objects in a temporary folder. */
export interface TestS3Server {
  /** What to put in PLINTH_FILES. */
  url: string;
  endpoint: string;
  stop(): Promise<void>;
}

export async function startS3Server(): Promise<TestS3Server> {
  const directory = await mkdtemp(join(tmpdir(), 'plinth-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: S3_TEST_BUCKET }],
  });
  const { address, port } = (await server.run()) as { address: string; port: number };
  return {
    url: `s3://${KEY}:${SECRET}@${address}:${port}/${S3_TEST_BUCKET}?tls=false&region=us-east-1`,
    endpoint: `http://${address}:${port}`,
    async stop() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
