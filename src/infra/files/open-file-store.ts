import { join } from 'node:path';
import type { FileStore } from './file-store.js';
import { createLocalFileStore } from './local-file-store.js';
import { createS3FileStore, type S3Settings } from './s3-file-store.js';

/** The folder of the data directory that holds files when no other store is configured. */
export const LOCAL_FILES_FOLDER = 'files';

/**
 * The file store `PLINTH_FILES` names: unset, a folder in the data directory; or
 * `s3://key:secret@host:port/bucket[/prefix]?region=…&tls=true|false&pathStyle=true|false`.
 */
export function openFileStore(url: string | undefined, dataDir: string): FileStore {
  if (!url) return createLocalFileStore(join(dataDir, LOCAL_FILES_FOLDER));
  return createS3FileStore(parseS3Url(url));
}

/** Reads an `s3://` URL; errors never repeat the URL, as it holds a secret. */
export function parseS3Url(url: string): S3Settings {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('must be a URL like s3://key:secret@host:port/bucket?region=us-east-1');
  }
  if (parsed.protocol !== 's3:') throw new Error(`must start with s3:// (got ${parsed.protocol}//)`);
  const [bucket = '', ...prefix] = parsed.pathname.replace(/^\/+/, '').split('/');
  if (!parsed.hostname) throw new Error('needs a host: s3://key:secret@host:port/bucket');
  if (!bucket) throw new Error('needs a bucket: s3://key:secret@host:port/bucket');
  if (!parsed.username || !parsed.password) throw new Error('needs an access key and a secret: s3://key:secret@host/bucket');
  const tls = readFlag(parsed.searchParams, 'tls', true);
  const keyPrefix = prefix.filter(Boolean).join('/');
  return {
    endpoint: `${tls ? 'https' : 'http'}://${parsed.host}`,
    region: parsed.searchParams.get('region') || 'us-east-1',
    bucket,
    accessKeyId: decodeURIComponent(parsed.username),
    secretAccessKey: decodeURIComponent(parsed.password),
    keyPrefix: keyPrefix ? `${keyPrefix}/` : '',
    forcePathStyle: readFlag(parsed.searchParams, 'pathStyle', true),
  };
}

function readFlag(params: URLSearchParams, name: string, fallback: boolean): boolean {
  const value = params.get(name);
  if (value === null || value === '') return fallback;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new Error(`${name} must be true or false (got "${value}")`);
}
