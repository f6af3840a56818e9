import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import send from 'send';
import { acceptedEncodings, chooseEncoding, encodedBytes, MAX_HELD_FILE, plainBytes } from './compression.js';
import { contentTypeOf, isCompressibleType } from './content-types.js';
import { findOutputFile, type OutputFile } from './output-files.js';

/**
 * Names a bundler gives files whose content never changes under that name: a hex hash of 8 or
 * more characters (`app-3f9a1c2b.js`, `chunk.8d1e4f0a.css`), or Vite's 8-character base64url one,
 * which may hold `-` and `_` itself (`start.Bjx-Gk3_.js`). A hash has a digit or a capital (or a
 * `-`/`_`) where a word does not, so `header-sections.js` stays revalidated.
 */
const HEX_HASHED = /[.-]([A-Za-z0-9_]{8,})\.[a-z0-9]+$/;
const BASE64URL_HASHED = /[.-]([A-Za-z0-9_-]{8})\.[a-z0-9]+$/;
const HASH_LIKE = /[0-9A-Z_-]/;
/** A year: the longest lifetime caches honour. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

export function isHashedAsset(path: string): boolean {
  if (extname(path) === '.html') return false;
  const token = BASE64URL_HASHED.exec(path)?.[1] ?? HEX_HASHED.exec(path)?.[1];
  return token !== undefined && HASH_LIKE.test(token);
}

function cacheControlOf(path: string, immutable: boolean | undefined): string {
  return immutable || isHashedAsset(path) ? IMMUTABLE : 'no-cache';
}

export interface SendOptions {
  /** The answer's status instead of 200 (a fallback or 404 page). */
  status?: number;
  /** Every file of this folder is named by its content, hashed or not (e.g. Next.js's `_next/static`). */
  immutable?: boolean | undefined;
}

/** Whether an If-None-Match header names one of the tags (weak comparison, as for GET). */
function matchesTag(header: string | undefined, tags: string[]): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const weakless = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = new Set(tags.map(weakless));
  return header.split(',').some((tag) => wanted.has(weakless(tag)));
}

/**
 * Answers a GET or HEAD from a built output directory: `index.html` for a directory, ETag and
 * If-None-Match, Range, the file's content type, brotli or gzip when the client takes them (the
 * build's own `.br`/`.gz` copies first). Hashed assets are cached for good; everything else is
 * revalidated on each use, so a new deployment shows at once. Resolves with whether a file answered.
 */
export async function sendStatic(request: IncomingMessage, response: ServerResponse, root: string, path: string, options: SendOptions = {}): Promise<boolean> {
  const entry = await findOutputFile(root, path);
  if (entry.kind === 'missing') return false;
  // Part of a file is always a part of its plain bytes; `send` answers ranges and folders.
  if (entry.kind === 'directory' || request.headers.range !== undefined) return sendThroughSend(request, response, root, path, options);
  await sendFile(request, response, entry.file, options);
  return true;
}

async function sendFile(request: IncomingMessage, response: ServerResponse, file: OutputFile, { status, immutable }: SendOptions): Promise<void> {
  const choice = chooseEncoding(file, acceptedEncodings(request.headers['accept-encoding']));
  const etag = choice ? `${file.etag.slice(0, -1)}-${choice.encoding}"` : file.etag;
  response.setHeader('Content-Type', file.type);
  response.setHeader('Cache-Control', cacheControlOf(file.path, immutable));
  response.setHeader('ETag', etag);
  response.setHeader('Accept-Ranges', 'bytes');
  const varies = file.compressible || file.precompressed.br !== undefined || file.precompressed.gzip !== undefined;
  if (varies) response.setHeader('Vary', 'Accept-Encoding');
  if (status === undefined && matchesTag(request.headers['if-none-match'], [etag])) {
    response.statusCode = 304;
    response.removeHeader('Content-Type');
    response.end();
    return;
  }
  response.statusCode = status ?? 200;
  if (choice) {
    const body = await encodedBytes(file, choice.encoding, choice.precompressed);
    response.setHeader('Content-Encoding', choice.encoding);
    response.setHeader('Content-Length', body.length);
    response.end(request.method === 'HEAD' ? undefined : body);
    return;
  }
  response.setHeader('Content-Length', file.size);
  if (request.method === 'HEAD') return void response.end();
  if (file.size <= MAX_HELD_FILE) return void response.end(await plainBytes(file));
  await pipeline(createReadStream(file.path), response);
}

function sendThroughSend(request: IncomingMessage, response: ServerResponse, root: string, path: string, { status, immutable }: SendOptions): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const stream = send(request, path, { root, index: ['index.html'], dotfiles: 'ignore', etag: true, lastModified: false, cacheControl: false });
    stream.on('headers', (res: ServerResponse, file: string) => {
      res.setHeader('Cache-Control', cacheControlOf(file, immutable));
      const type = contentTypeOf(file);
      res.setHeader('Content-Type', type);
      if (isCompressibleType(type)) res.setHeader('Vary', 'Accept-Encoding');
      if (status !== undefined) res.statusCode = status;
    });
    stream.on('error', (error: Error & { status?: number }) => {
      if (error.status === 404) return resolve(false);
      reject(error);
    });
    stream.on('directory', (res: ServerResponse) => {
      // `/docs` of a folder: on to `/docs/`, whose relative links then resolve inside it.
      const [pathname = '/', query] = (request.url ?? '/').split('?');
      res.statusCode = 301;
      res.setHeader('Location', `${pathname}/${query === undefined ? '' : `?${query}`}`);
      res.setHeader('Cache-Control', 'no-cache');
      res.end();
      resolve(true);
    });
    stream.on('end', () => resolve(true));
    stream.pipe(response);
  });
}
