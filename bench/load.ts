import autocannon from 'autocannon';
import { Latencies } from './latencies.js';

export interface LoadSettings {
  connections: number;
  pipelining: number;
  warmupSeconds: number;
  durationSeconds: number;
}

export interface LoadResult {
  scenario: string;
  connections: number;
  url: string;
  /** Mean of the per-second request counts, as autocannon's own table shows it. */
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  bytesPerSec: number;
  total: number;
  /** Requests that did not count: connection errors, timeouts, non-2xx answers. */
  errors: number;
  timeouts: number;
  non2xx: number;
}

/** BENCH_DURATION overrides the measured seconds per scenario; bounded so a typo cannot run for hours. */
export function readLoadSettings(env: NodeJS.ProcessEnv): LoadSettings {
  const raw = env.BENCH_DURATION;
  const durationSeconds = raw === undefined || raw === '' ? 10 : Number(raw);
  if (!Number.isInteger(durationSeconds) || durationSeconds < 1 || durationSeconds > 600) {
    throw new Error(`BENCH_DURATION must be whole seconds from 1 to 600, got "${raw}"`);
  }
  return { connections: 50, pipelining: 1, warmupSeconds: 2, durationSeconds };
}

/** A request other than a plain GET, and scenarios that run with fewer connections. */
export interface LoadRequest {
  method?: 'GET' | 'POST' | 'PATCH';
  body?: string;
  connections?: number;
}

export async function runLoad(
  scenario: string,
  url: string,
  headers: Record<string, string>,
  settings: LoadSettings,
  request: LoadRequest = {},
): Promise<LoadResult> {
  const connections = request.connections ?? settings.connections;
  // autocannon runs the warm-up first and reports it apart (result.warmup), so JIT and pool growth are not counted.
  const instance = autocannon({
    url,
    headers,
    method: request.method ?? 'GET',
    ...(request.body !== undefined ? { body: request.body } : {}),
    connections,
    pipelining: settings.pipelining,
    duration: settings.durationSeconds,
    warmup: { connections, duration: settings.warmupSeconds },
  });
  const latencies = new Latencies();
  // Like autocannon's own histogram, only 2xx answers count towards latency.
  instance.on('response', (_client, status, _bytes, responseTime) => {
    if (status >= 200 && status < 300) latencies.add(responseTime);
  });
  const result = await instance;
  const [p50Ms = NaN, p99Ms = NaN] = latencies.percentiles(50, 99);
  return {
    scenario,
    connections,
    url,
    reqPerSec: result.requests.average,
    p50Ms,
    p99Ms,
    bytesPerSec: result.throughput.average,
    total: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  };
}
