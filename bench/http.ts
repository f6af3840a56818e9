import { request } from 'node:http';
import type { Child } from './processes.js';

export interface HttpAnswer {
  status: number;
  body: string;
}

/** node:http rather than fetch: fetch loads undici lazily on first use, which would skew a startup timing. */
export function httpGet(url: string, headers: Record<string, string>, timeoutMs: number): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false, timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** Polls until `url` answers 200; fails early if the child dies. Bounded by `timeoutMs`. */
export async function waitForOk(child: Child, url: string, headers: Record<string, string>, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last = 'no answer yet';
  while (performance.now() < deadline) {
    if (child.process.exitCode !== null || child.process.signalCode !== null) {
      throw new Error(`${child.name} exited before answering ${url}:\n${child.tail()}`);
    }
    try {
      const answer = await httpGet(url, headers, 1000);
      if (answer.status === 200) return;
      last = `status ${answer.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(20);
  }
  throw new Error(`${child.name}: ${url} not ready within ${timeoutMs} ms (${last}):\n${child.tail()}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
