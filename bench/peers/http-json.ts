import { Agent, request } from 'node:http';

export interface Answer {
  status: number;
  body: string;
  cookies: string[];
}

// Keep-alive for seeding and setup; destroyed before each load run so idle sockets hold nothing open.
export const agent = new Agent({ keepAlive: true, maxSockets: 8 });

export function send(method: string, url: string, headers: Record<string, string>, body?: unknown, timeoutMs = 60_000): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const options = { method, agent, headers: { ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) }, timeout: timeoutMs };
    const req = request(url, options, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text, cookies: response.headers['set-cookie'] ?? [] }));
      response.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** `send`, failing unless the status is one of `statuses`; returns the parsed JSON body. */
export async function expectJson<T = unknown>(method: string, url: string, headers: Record<string, string>, statuses: number | number[], body?: unknown): Promise<T> {
  const answer = await send(method, url, headers, body);
  const wanted = Array.isArray(statuses) ? statuses : [statuses];
  if (!wanted.includes(answer.status)) {
    throw new Error(`${method} ${url} answered ${answer.status}, expected ${wanted.join(' or ')}: ${answer.body.slice(0, 600)}`);
  }
  return (answer.body === '' ? undefined : JSON.parse(answer.body)) as T;
}

/** Polls `url` until it answers 200; fails early with the server's output if `alive()` turns false. */
export async function waitUntilAnswering(url: string, alive: () => boolean, describe: () => string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last = 'no answer yet';
  while (performance.now() < deadline) {
    if (!alive()) throw new Error(`exited before answering ${url}:\n${describe()}`);
    try {
      const answer = await send('GET', url, {}, undefined, 2000);
      if (answer.status === 200) return;
      last = `status ${answer.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} not answering within ${timeoutMs / 1000} s (${last}):\n${describe()}`);
}

/** Runs `work(0..count-1)` with at most `concurrency` in flight. */
export async function pool(count: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) await work(i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
