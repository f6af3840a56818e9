// The plain static server `npm run bench:sites` compares site hosting with: node:http and
// serve-static on a folder (STATIC_ROOT), ETags on, no compression, nothing else.
// Plain .js so it starts without tsx; prints one JSON line with its URL once listening.
import { createServer } from 'node:http';
import serveStatic from 'serve-static';

const serve = serveStatic(process.env.STATIC_ROOT ?? '.', { index: ['index.html'] });

const server = createServer((request, response) => {
  serve(request, response, () => {
    response.statusCode = 404;
    response.end('not found');
  });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});

process.once('SIGTERM', () => server.close(() => process.exit(0)));
