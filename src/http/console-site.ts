import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A static file route: no project, session, origin or scope applies. */
    staticSite?: boolean;
  }
}

/** Where the web console is served. */
export const CONSOLE_PATH = '/console';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The compressed copies the build writes beside a file (scripts/build-console.js): never served by their own names. */
const COMPRESSED = ['.br', '.gz'];

/** Vite names built assets with a content hash, so a name never changes meaning. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The page itself is revalidated on every load, so a new build is picked up at once. */
const REVALIDATE = 'no-cache';

/**
 * The console talks only to this origin: scripts, styles and calls stay here, nothing frames it.
 * Svelte sets some styles inline.
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

interface SiteFile {
  type: string;
  body: Buffer;
  gzip: Buffer | undefined;
  brotli: Buffer | undefined;
  etag: string;
  cacheControl: string;
}

/**
 * Serves a built single-page app from `dir` at `/console`: files by their path, compressed once
 * at start, and `index.html` for every other path so deep links reach the app's router. Without
 * a build the paths answer 503 with how to make one; the API is unaffected.
 */
export function installConsoleSite(app: FastifyInstance, dir: string): void {
  const files = loadSite(dir);
  const index = files.get('index.html');
  const config = { scope: 'public', staticSite: true };
  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!index) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .header('cache-control', 'no-store')
        .send('The web console is not built. Run `npm install` (which builds it), or `npm run build:console`.\n');
    }
    const path = sitePath(request.url);
    const file = files.get(path);
    if (!file && path.startsWith('assets/')) {
      // A missing hashed asset is an old page asking for a file a new build replaced: no fallback page.
      return reply.code(404).type('text/plain; charset=utf-8').header('cache-control', 'no-store').send('Not found\n');
    }
    return sendFile(request, reply, file ?? index);
  };
  app.get(CONSOLE_PATH, { config }, serve);
  app.get(`${CONSOLE_PATH}/*`, { config }, serve);
}

/** The file a URL names, relative to the build; '' for the app's root. */
function sitePath(url: string): string {
  const path = url.split('?')[0]!.slice(CONSOLE_PATH.length).replace(/^\/+/, '');
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function sendFile(request: FastifyRequest, reply: FastifyReply, file: SiteFile): FastifyReply {
  reply.headers({ ...SECURITY_HEADERS, 'content-type': file.type, 'cache-control': file.cacheControl, etag: file.etag, vary: 'accept-encoding' });
  if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
  const accepted = String(request.headers['accept-encoding'] ?? '');
  if (file.brotli && /\bbr\b/.test(accepted)) return reply.header('content-encoding', 'br').send(file.brotli);
  if (file.gzip && /\bgzip\b/.test(accepted)) return reply.header('content-encoding', 'gzip').send(file.gzip);
  return reply.send(file.body);
}

/** Every file of the build, by its path relative to `dir`; empty when there is no build. */
function loadSite(dir: string): Map<string, SiteFile> {
  const files = new Map<string, SiteFile>();
  if (!existsSync(join(dir, 'index.html'))) return files;
  for (const path of listFiles(dir)) {
    const name = relative(dir, path).split(sep).join('/');
    // Build bookkeeping (the source hash) is not part of the site.
    if (name.startsWith('.') || COMPRESSED.includes(extname(name))) continue;
    const body = readFileSync(path);
    files.set(name, {
      type: TYPES[extname(name)] ?? 'application/octet-stream',
      body,
      // Compressed once at build time: at start it would cost every server (and test) a second.
      gzip: readIfPresent(`${path}.gz`),
      brotli: readIfPresent(`${path}.br`),
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      cacheControl: name.startsWith('assets/') ? IMMUTABLE : REVALIDATE,
    });
  }
  return files;
}

function readIfPresent(path: string): Buffer | undefined {
  return existsSync(path) ? readFileSync(path) : undefined;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
