import { pino, type DestinationStream, type Logger } from 'pino';

/** Headers that carry secrets never reach the log. */
const REDACTED = [
  'req.headers["x-appwrite-key"]',
  'req.headers["x-appwrite-session"]',
  'req.headers["x-appwrite-jwt"]',
  'req.headers["x-fallback-cookies"]',
  'req.headers.cookie',
  'req.headers.authorization',
];

/**
 * Logs go to stdout for the server; commands that print results log to stderr instead;
 * a server started inside another program may log to a stream of its own.
 */
export function createLogger(level: string, stream: 'stdout' | 'stderr' | DestinationStream = 'stdout'): Logger {
  return pino({
    level,
    redact: { paths: REDACTED, censor: '[redacted]' },
    // Query strings may hold secrets (magic-link and file tokens): log the path only.
    serializers: {
      req: (request: { method?: string; url?: string; id?: string }) => ({
        id: request.id,
        method: request.method,
        path: request.url?.split('?')[0],
      }),
    },
  }, typeof stream === 'string' ? pino.destination(stream === 'stdout' ? 1 : 2) : stream);
}
