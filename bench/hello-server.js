// Baseline: the cheapest JSON answer node:http can give, with no loader, framework or logging.
// Plain .js so it starts without tsx; prints one JSON line with its URL once listening.
import { createServer } from 'node:http';

const BODY = JSON.stringify({ version: '1.9.6' });

const server = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) });
  response.end(BODY);
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});

process.once('SIGTERM', () => server.close(() => process.exit(0)));
