import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import send from 'send';

/** Names a bundler gives files whose content never changes under that name: `app-3f9a1c2b.js`, `chunk.8d1e4f0a.css`. */
const HASHED = /[.-][A-Za-z0-9_]{8,}\.[a-z0-9]+$/;
/** A year: the longest lifetime caches honour. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

export function isHashedAsset(path: string): boolean {
  return HASHED.test(path) && extname(path) !== '.html';
}

/**
 * Answers a GET or HEAD from a built output directory: `index.html` for a directory, ETag and
 * If-None-Match, Range, the file's content type. Hashed assets are cached for good; everything else
 * is revalidated on each use, so a new deployment shows at once. Resolves with whether a file answered.
 */
export function sendStatic(request: IncomingMessage, response: ServerResponse, root: string, path: string, status?: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const stream = send(request, path, { root, index: ['index.html'], dotfiles: 'ignore', etag: true, lastModified: false, cacheControl: false });
    stream.on('headers', (res: ServerResponse, file: string) => {
      res.setHeader('Cache-Control', isHashedAsset(file) ? IMMUTABLE : 'no-cache');
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

/** Whether the output holds the file (a 404 page, a fallback), relative to its root. */
export function hasFile(root: string, file: string): boolean {
  return file !== '' && existsSync(join(root, file));
}
