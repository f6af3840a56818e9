// The Open Runtimes contract over the web-standard Request and Response, shared by Plinth's Bun
// and Deno servers (bun.ts, deno.ts): each of them only listens and hands requests to `handle`.
// It loads the function's entrypoint once and calls it for every request with
// `context` ({ req, res, log, error }).
//
// Environment: OPEN_RUNTIMES_SECRET, OPEN_RUNTIMES_ENTRYPOINT (relative to the code directory),
// OPEN_RUNTIMES_HEADERS (forced response headers, JSON), PLINTH_RUNTIME_CODE (code directory,
// default the working directory), PLINTH_RUNTIME_LOGS (directory where `<log id>_logs.log` and
// `<log id>_errors.log` are written when logs are too long for the answer's header).
import { AsyncLocalStorage } from 'node:async_hooks';
import { Buffer } from 'node:buffer';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';

type Headers_ = Record<string, string>;
interface Answer {
  body: Uint8Array;
  statusCode: number;
  headers: Headers_;
}
interface Logs {
  logs: string[];
  errors: string[];
}
type UserFunction = (context: unknown) => unknown;

const secret = process.env.OPEN_RUNTIMES_SECRET ?? '';
const codeDir = resolve(process.env.PLINTH_RUNTIME_CODE || process.cwd());
const entrypoint = process.env.OPEN_RUNTIMES_ENTRYPOINT || 'index.ts';
const logsDir = process.env.PLINTH_RUNTIME_LOGS || '';
const forcedHeaders = parseForcedHeaders(process.env.OPEN_RUNTIMES_HEADERS);
/** Logs up to this size (JSON, bytes) are answered in the `x-open-runtimes-logs` header. */
const INLINE_LOGS_MAX = 8192;
const BINARY_TYPES = ['application/octet-stream', 'application/pdf', 'application/zip', 'image/', 'audio/', 'video/', 'font/'];
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Where console output of the running execution goes; outside any execution it goes to the real console. */
const currentLogs = new AsyncLocalStorage<Logs>();

function parseForcedHeaders(raw: string | undefined): Headers_ {
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' ? lower(parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.stack ?? String(value);
  if (value !== null && typeof value === 'object') {
    try {
      return JSON.stringify(value);
    } catch {
      return inspect(value);
    }
  }
  return String(value);
}

// Console output during an execution belongs to that execution's logs (stdout) or errors (stderr).
for (const [method, stream] of [['log', 'logs'], ['info', 'logs'], ['debug', 'logs'], ['warn', 'errors'], ['error', 'errors']] as const) {
  const original = console[method].bind(console);
  console[method] = (...args: unknown[]) => {
    const store = currentLogs.getStore();
    if (!store) return original(...args);
    store[stream].push(args.map(stringify).join(' '));
  };
}

let loaded: Promise<UserFunction> | undefined;
/** The user's function, loaded on first use and kept. */
export function loadFunction(): Promise<UserFunction> {
  loaded ??= (async () => {
    const file = join(codeDir, entrypoint);
    if (!existsSync(file)) throw new Error(`Entrypoint "${entrypoint}" does not exist in the deployment.`);
    const module = await import(pathToFileURL(file).href);
    let fn = module?.default ?? module;
    if (typeof fn !== 'function' && typeof fn?.default === 'function') fn = fn.default;
    if (typeof fn !== 'function') throw new Error(`Entrypoint "${entrypoint}" exports no function.`);
    return fn as UserFunction;
  })();
  return loaded;
}

function lower(headers: Record<string, unknown> | undefined): Headers_ {
  const result: Headers_ = {};
  for (const [name, value] of Object.entries(headers ?? {})) result[name.toLowerCase()] = String(value);
  return result;
}

function bytesOf(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value)) return Uint8Array.from(value);
  return new Uint8Array(0);
}

function buildRequest(request: Request, body: Uint8Array) {
  const headers: Headers_ = {};
  request.headers.forEach((value, name) => {
    if (!name.startsWith('x-open-runtimes-')) headers[name] = value;
  });
  const scheme = (headers['x-forwarded-proto'] || 'http').split(',')[0]!.trim();
  const defaultPort = scheme === 'https' ? 443 : 80;
  const hostHeader = headers.host || 'localhost';
  const portMatch = /:(\d+)$/.exec(hostHeader);
  const host = portMatch ? hostHeader.slice(0, -portMatch[0].length) : hostHeader;
  const port = portMatch ? Number(portMatch[1]) : defaultPort;
  // The target as sent: the host part of request.url is whatever the listener made up.
  const target = request.url.replace(/^[a-z+]+:\/\/[^/]*/i, '') || '/';
  const questionMark = target.indexOf('?');
  const path = questionMark === -1 ? target : target.slice(0, questionMark);
  const queryString = questionMark === -1 ? '' : target.slice(questionMark + 1);
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(queryString)) query[key] = value;
  const contentType = (headers['content-type'] || 'text/plain').toLowerCase();
  const text = () => decoder.decode(body);
  const json = () => (body.length === 0 ? {} : JSON.parse(text()));
  const portSuffix = port === defaultPort ? '' : `:${port}`;
  return {
    get bodyRaw() {
      return text();
    },
    get bodyText() {
      return text();
    },
    get bodyBinary() {
      return body;
    },
    get bodyJson() {
      return json();
    },
    get body() {
      if (contentType.startsWith('application/json')) return json();
      if (BINARY_TYPES.some((type) => contentType.startsWith(type))) return body;
      return text();
    },
    headers,
    method: request.method,
    host,
    scheme,
    port,
    path,
    query,
    queryString,
    url: `${scheme}://${host}${portSuffix}${path}${queryString ? `?${queryString}` : ''}`,
  };
}

const response = {
  text(body: unknown, statusCode = 200, headers: Record<string, unknown> = {}): Answer {
    return { body: encoder.encode(String(body ?? '')), statusCode, headers: { 'content-type': 'text/plain', ...lower(headers) } };
  },
  send(body: unknown, statusCode = 200, headers: Record<string, unknown> = {}): Answer {
    return response.text(body, statusCode, headers);
  },
  json(object: unknown, statusCode = 200, headers: Record<string, unknown> = {}): Answer {
    return { body: encoder.encode(JSON.stringify(object)), statusCode, headers: { 'content-type': 'application/json', ...lower(headers) } };
  },
  binary(bytes: unknown, statusCode = 200, headers: Record<string, unknown> = {}): Answer {
    return { body: bytesOf(bytes), statusCode, headers: { 'content-type': 'application/octet-stream', ...lower(headers) } };
  },
  empty(): Answer {
    return { body: new Uint8Array(0), statusCode: 204, headers: {} };
  },
  redirect(url: string, statusCode = 301, headers: Record<string, unknown> = {}): Answer {
    return { body: new Uint8Array(0), statusCode, headers: { ...lower(headers), location: String(url) } };
  },
};

function isAnswer(value: unknown): value is Answer {
  return value !== null && typeof value === 'object' && (value as Answer).body instanceof Uint8Array && typeof (value as Answer).statusCode === 'number';
}

const failed = (statusCode: number): Answer => ({ body: new Uint8Array(0), statusCode, headers: {} });

async function execute(request: Request, body: Uint8Array, logs: Logs, timeoutSeconds: number): Promise<Answer> {
  const context = {
    req: buildRequest(request, body),
    res: response,
    log: (...args: unknown[]) => logs.logs.push(args.map(stringify).join(' ')),
    error: (...args: unknown[]) => logs.errors.push(args.map(stringify).join(' ')),
  };
  let fn: UserFunction;
  try {
    fn = await loadFunction();
  } catch (error) {
    logs.errors.push(stringify(error));
    return failed(503);
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<'timeout'>((resolveTimeout) => {
    if (timeoutSeconds > 0) timer = setTimeout(() => resolveTimeout('timeout'), timeoutSeconds * 1000);
  });
  try {
    const result = await Promise.race([currentLogs.run(logs, () => fn(context)), timedOut]);
    if (result === 'timeout') {
      logs.errors.push('Execution timed out.');
      return failed(500);
    }
    if (!isAnswer(result)) {
      logs.errors.push('Return statement missing. return context.res.empty() if no response is expected.');
      return failed(500);
    }
    return result;
  } catch (error) {
    logs.errors.push(stringify(error));
    return failed(500);
  } finally {
    clearTimeout(timer);
  }
}

function writeLogs(logId: string, logs: Logs): void {
  if (!logsDir || !logId || !/^[A-Za-z0-9_-]+$/.test(logId)) return;
  mkdirSync(logsDir, { recursive: true });
  writeFileSync(join(logsDir, `${logId}_logs.log`), logs.logs.join('\n'));
  writeFileSync(join(logsDir, `${logId}_errors.log`), logs.errors.join('\n'));
}

/** Statuses whose answers carry no body, which Response refuses one for. */
const NO_BODY = new Set([101, 103, 204, 205, 304]);

/** One request of the runtime's supervisor: checked, run through the function, answered with its logs. */
export async function handle(request: Request): Promise<Response> {
  try {
    if (request.headers.get('x-open-runtimes-secret') !== secret || secret === '') {
      return new Response('Unauthorized. Provide correct "x-open-runtimes-secret" header.', { status: 500, headers: { 'content-type': 'text/plain' } });
    }
    const body = new Uint8Array(await request.arrayBuffer());
    const timeout = Number(request.headers.get('x-open-runtimes-timeout') ?? 0);
    const logging = request.headers.get('x-open-runtimes-logging') !== 'disabled';
    const logId = request.headers.get('x-open-runtimes-log-id') ?? '';
    const logs: Logs = { logs: [], errors: [] };
    let result = await execute(request, body, logs, Number.isFinite(timeout) ? timeout : 0);
    if (result.statusCode < 200 || result.statusCode > 599) {
      logs.errors.push(`Status code ${result.statusCode} is not a valid response status.`);
      result = failed(500);
    }
    const headers: Headers_ = { ...result.headers, ...forcedHeaders };
    for (const name of Object.keys(headers)) if (name.startsWith('x-open-runtimes-')) delete headers[name];
    if (logId) headers['x-open-runtimes-log-id'] = logId;
    if (logging) {
      // Short logs ride in a header (no files to write and read back); long ones go to the log files.
      const inline = Buffer.from(JSON.stringify([logs.logs.join('\n'), logs.errors.join('\n')]), 'utf8');
      if (inline.length <= INLINE_LOGS_MAX) headers['x-open-runtimes-logs'] = inline.toString('base64');
      else writeLogs(logId, logs);
    }
    return new Response(NO_BODY.has(result.statusCode) ? null : result.body, { status: result.statusCode, headers });
  } catch (error) {
    return new Response(stringify(error), { status: 500, headers: { 'content-type': 'text/plain' } });
  }
}

/** The supervisor waits for this line; the entrypoint starts loading at once (its errors surface per request). */
export function announceReady(): void {
  process.stdout.write('open-runtimes ready\n');
  loadFunction().catch(() => {});
}

/** The socket to listen on (PLINTH_RUNTIME_SOCKET), or else the port (PORT, default 3000). */
export function listenTarget(): { socket: string } | { port: number } {
  const socket = process.env.PLINTH_RUNTIME_SOCKET;
  return socket ? { socket } : { port: Number(process.env.PORT || 3000) };
}
