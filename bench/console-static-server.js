// The plain server `npm run bench:console` compares the console's load with: node:http sending
// console/dist's files (their precompressed .br/.gz copies when the browser takes them, index.html
// for app paths) and one fixed answer, ANSWER_BODY with ANSWER_STATUS, to every /v1 request, which
// is what Plinth says to the signed-out session check. All files are read once at start.
// Plain .js so it starts without tsx; prints one JSON line with its URL once listening.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join } from 'node:path';

const DIST = process.env.CONSOLE_DIST;
if (!DIST) throw new Error('CONSOLE_DIST is not set');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };
const ANSWER = { status: Number(process.env.ANSWER_STATUS ?? 401), body: process.env.ANSWER_BODY ?? '{}' };

/** URL path → the file's bytes and its compressed copies. */
const files = new Map();
function load(folder, prefix) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) load(path, `${prefix}${entry.name}/`);
    else if (!/\.(br|gz)$/.test(entry.name) && !entry.name.startsWith('.')) {
      const copy = (suffix) => {
        try {
          return readFileSync(`${path}${suffix}`);
        } catch {
          return undefined;
        }
      };
      files.set(`${prefix}${entry.name}`, { body: readFileSync(path), br: copy('.br'), gzip: copy('.gz'), type: TYPES[extname(entry.name)] ?? 'application/octet-stream' });
    }
  }
}
load(DIST, '/console/');

const server = createServer((request, response) => {
  const path = (request.url ?? '/').split('?')[0];
  if (path.startsWith('/v1/')) {
    response.writeHead(ANSWER.status, { 'content-type': 'application/json' }).end(ANSWER.body);
    return;
  }
  const file = files.get(path) ?? (path.startsWith('/console/assets/') ? undefined : files.get('/console/index.html'));
  if (!file) {
    response.writeHead(404).end('not found');
    return;
  }
  const accepted = String(request.headers['accept-encoding'] ?? '');
  const [encoding, body] = file.br && accepted.includes('br') ? ['br', file.br] : file.gzip && accepted.includes('gzip') ? ['gzip', file.gzip] : [undefined, file.body];
  response.writeHead(200, { 'content-type': file.type, ...(encoding ? { 'content-encoding': encoding } : {}) }).end(body);
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});

process.once('SIGTERM', () => server.close(() => process.exit(0)));
