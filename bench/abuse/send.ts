import { request } from 'node:http';

export interface Sent {
  /** HTTP status, or undefined when no answer came. */
  status: number | undefined;
  /** Appwrite's error type from the answer, when it has one. */
  type: string | undefined;
  /** Why no answer came: the socket error, or `timeout`. */
  failure: string | undefined;
  ms: number;
}

function errorType(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { type?: string }).type;
  } catch {
    return undefined;
  }
}

/**
 * One request on a connection of its own, cut off after `timeoutMs`. An answer that comes while
 * the body is still being written counts (the server may refuse a body before reading it all).
 */
export function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer; timeoutMs: number }): Promise<Sent> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const settle = (status: number | undefined, type: string | undefined, failure: string | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve({ status, type, failure, ms: performance.now() - started });
    };
    const headers = { ...options.headers, ...(options.body ? { 'content-type': 'application/json', 'content-length': String(options.body.length) } : {}) };
    const req = request(url, { method: options.method ?? 'GET', headers, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk.slice(0, 4096)));
      response.on('end', () => settle(response.statusCode, errorType(body), undefined));
      response.on('error', (error) => settle(response.statusCode, undefined, error.message));
    });
    const timer = setTimeout(() => settle(undefined, undefined, 'timeout'), options.timeoutMs);
    req.on('error', (error) => settle(undefined, undefined, (error as NodeJS.ErrnoException).code ?? error.message));
    req.end(options.body);
  });
}

/** "401 user_unauthorized in 0.4 s", "no answer within 10 s", "ECONNRESET after 2.1 s". */
export function describeSent(sent: Sent): string {
  const seconds = `${(sent.ms / 1000).toFixed(1)} s`;
  if (sent.status !== undefined) return `${sent.status}${sent.type ? ` ${sent.type}` : ''} in ${seconds}`;
  if (sent.failure === 'timeout') return `no answer within ${seconds}`;
  return `${sent.failure} after ${seconds}`;
}
