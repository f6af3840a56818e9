// Plinth's Node runtime: an HTTP server speaking the Open Runtimes contract. It runs as a plain
// `node server.mjs` process (usually inside a sandbox), loads the function's entrypoint once and
// calls it for every request with `context` ({ req, res, log, error }).
//
// Environment: OPEN_RUNTIMES_SECRET, OPEN_RUNTIMES_ENTRYPOINT (relative to the code directory),
// PLINTH_RUNTIME_CODE (code directory, default the working directory), PLINTH_RUNTIME_SOCKET
// (a Unix socket path to listen on) or PORT (default 3000), PLINTH_RUNTIME_LOGS (directory where
// `<log id>_logs.log` and `<log id>_errors.log` are written when logging is on).
import { AsyncLocalStorage } from 'node:async_hooks';
import { writeFileSync, mkdirSync, unlinkSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { pathToFileURL } from 'node:url';

const secret = process.env.OPEN_RUNTIMES_SECRET ?? '';
const codeDir = resolve(process.env.PLINTH_RUNTIME_CODE || process.cwd());
const entrypoint = process.env.OPEN_RUNTIMES_ENTRYPOINT || 'index.js';
const logsDir = process.env.PLINTH_RUNTIME_LOGS || '';
const forcedHeaders = parseForcedHeaders(process.env.OPEN_RUNTIMES_HEADERS);
/** Logs up to this size (JSON, bytes) are answered in the `x-open-runtimes-logs` header. */
const INLINE_LOGS_MAX = 8192;
const BINARY_TYPES = ['application/octet-stream', 'application/pdf', 'application/zip', 'image/', 'audio/', 'video/', 'font/'];

/** Where console output of the running execution goes; outside any execution it goes to the real console. */
const currentLogs = new AsyncLocalStorage();

function parseForcedHeaders(raw) {
  if (!raw) return {};
  try {
    const parsed = JSON.parse(raw);
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

function stringify(value) {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.stack ?? String(value);
  if (value !== null && typeof value === 'object') {
    try {
      return JSON.stringify(value);
    } catch {
      return format('%o', value);
    }
  }
  return String(value);
}

// Console output during an execution belongs to that execution's logs (stdout) or errors (stderr).
for (const [method, stream] of [['log', 'logs'], ['info', 'logs'], ['debug', 'logs'], ['warn', 'errors'], ['error', 'errors']]) {
  const original = console[method].bind(console);
  console[method] = (...args) => {
    const store = currentLogs.getStore();
    if (!store) return original(...args);
    store[stream].push(args.map(stringify).join(' '));
  };
}

let loaded;
/** The user's function, loaded on first use and kept: `require` first, `import()` for ES modules. */
function loadFunction() {
  // Plain assignment: the oldest Node.js this server runs on (14) lacks `??=`.
  if (!loaded) loaded = (async () => {
    const file = join(codeDir, entrypoint);
    if (!existsSync(file)) throw new Error(`Entrypoint "${entrypoint}" does not exist in the deployment.`);
    let module;
    try {
      module = createRequire(join(codeDir, 'package.json'))(file);
    } catch (requireError) {
      const esm = requireError?.code === 'ERR_REQUIRE_ESM' || requireError?.code === 'ERR_REQUIRE_ASYNC_MODULE' || requireError instanceof SyntaxError;
      if (!esm) throw requireError;
      module = await import(pathToFileURL(file).href);
    }
    let fn = module?.default ?? module;
    if (typeof fn !== 'function' && typeof fn?.default === 'function') fn = fn.default;
    if (typeof fn !== 'function') throw new Error(`Entrypoint "${entrypoint}" exports no function.`);
    return fn;
  })();
  return loaded;
}

function isBinary(contentType) {
  return BINARY_TYPES.some((type) => contentType.startsWith(type));
}

function buildRequest(req, body) {
  const headers = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith('x-open-runtimes-')) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : (value ?? '');
  }
  const scheme = (headers['x-forwarded-proto'] || 'http').split(',')[0].trim();
  const defaultPort = scheme === 'https' ? 443 : 80;
  const hostHeader = headers.host || 'localhost';
  const portMatch = /:(\d+)$/.exec(hostHeader);
  const host = portMatch ? hostHeader.slice(0, -portMatch[0].length) : hostHeader;
  const port = portMatch ? Number(portMatch[1]) : defaultPort;
  const target = req.url || '/';
  const questionMark = target.indexOf('?');
  const path = questionMark === -1 ? target : target.slice(0, questionMark);
  const queryString = questionMark === -1 ? '' : target.slice(questionMark + 1);
  const query = {};
  for (const [key, value] of new URLSearchParams(queryString)) query[key] = value;
  const contentType = (headers['content-type'] || 'text/plain').toLowerCase();
  const text = () => body.toString('utf8');
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
      if (isBinary(contentType)) return body;
      return text();
    },
    headers,
    method: req.method,
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
  text(body, statusCode = 200, headers = {}) {
    return { body: Buffer.from(String(body ?? ''), 'utf8'), statusCode, headers: { 'content-type': 'text/plain', ...lower(headers) } };
  },
  send(body, statusCode = 200, headers = {}) {
    return response.text(body, statusCode, headers);
  },
  json(object, statusCode = 200, headers = {}) {
    return { body: Buffer.from(JSON.stringify(object), 'utf8'), statusCode, headers: { 'content-type': 'application/json', ...lower(headers) } };
  },
  binary(bytes, statusCode = 200, headers = {}) {
    return { body: Buffer.from(bytes ?? []), statusCode, headers: { 'content-type': 'application/octet-stream', ...lower(headers) } };
  },
  empty() {
    return { body: Buffer.alloc(0), statusCode: 204, headers: {} };
  },
  redirect(url, statusCode = 301, headers = {}) {
    return { body: Buffer.alloc(0), statusCode, headers: { ...lower(headers), location: url } };
  },
};

function lower(headers) {
  const result = {};
  for (const [name, value] of Object.entries(headers ?? {})) result[name.toLowerCase()] = String(value);
  return result;
}

function isResponse(value) {
  return value !== null && typeof value === 'object' && Buffer.isBuffer(value.body) && typeof value.statusCode === 'number';
}

function readBody(req) {
  return new Promise((resolveBody, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolveBody(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function execute(req, body, logs, timeoutSeconds) {
  const context = {
    req: buildRequest(req, body),
    res: response,
    log: (...args) => logs.logs.push(args.map(stringify).join(' ')),
    error: (...args) => logs.errors.push(args.map(stringify).join(' ')),
  };
  let fn;
  try {
    fn = await loadFunction();
  } catch (error) {
    logs.errors.push(stringify(error));
    return { body: Buffer.from('', 'utf8'), statusCode: 503, headers: {} };
  }
  let timer;
  const timedOut = new Promise((resolveTimeout) => {
    if (timeoutSeconds > 0) timer = setTimeout(() => resolveTimeout('timeout'), timeoutSeconds * 1000);
  });
  try {
    const result = await Promise.race([currentLogs.run(logs, () => fn(context)), timedOut]);
    if (result === 'timeout') {
      logs.errors.push('Execution timed out.');
      return { body: Buffer.alloc(0), statusCode: 500, headers: {} };
    }
    if (!isResponse(result)) {
      logs.errors.push('Return statement missing. return context.res.empty() if no response is expected.');
      return { body: Buffer.alloc(0), statusCode: 500, headers: {} };
    }
    return result;
  } catch (error) {
    logs.errors.push(stringify(error));
    return { body: Buffer.alloc(0), statusCode: 500, headers: {} };
  } finally {
    clearTimeout(timer);
  }
}

function writeLogs(logId, logs) {
  if (!logsDir || !logId || !/^[A-Za-z0-9_-]+$/.test(logId)) return;
  mkdirSync(logsDir, { recursive: true });
  writeFileSync(join(logsDir, `${logId}_logs.log`), logs.logs.join('\n'));
  writeFileSync(join(logsDir, `${logId}_errors.log`), logs.errors.join('\n'));
}

const server = createServer(async (req, res) => {
  try {
    if (req.headers['x-open-runtimes-secret'] !== secret || secret === '') {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Unauthorized. Provide correct "x-open-runtimes-secret" header.');
      return;
    }
    const body = await readBody(req);
    const timeout = Number(req.headers['x-open-runtimes-timeout'] ?? 0);
    const logging = req.headers['x-open-runtimes-logging'] !== 'disabled';
    const logId = String(req.headers['x-open-runtimes-log-id'] ?? '');
    const logs = { logs: [], errors: [] };
    const result = await execute(req, body, logs, Number.isFinite(timeout) ? timeout : 0);
    const headers = { ...result.headers, ...lower(forcedHeaders) };
    for (const name of Object.keys(headers)) if (name.startsWith('x-open-runtimes-')) delete headers[name];
    if (logId) headers['x-open-runtimes-log-id'] = logId;
    if (logging) {
      // Short logs ride in a header (no files to write and read back); long ones go to the log files.
      const inline = Buffer.from(JSON.stringify([logs.logs.join('\n'), logs.errors.join('\n')]), 'utf8');
      if (inline.length <= INLINE_LOGS_MAX) headers['x-open-runtimes-logs'] = inline.toString('base64');
      else writeLogs(logId, logs);
    }
    res.writeHead(result.statusCode, headers);
    res.end(result.body);
  } catch (error) {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(stringify(error));
  }
});
server.keepAliveTimeout = 60_000;

const socketPath = process.env.PLINTH_RUNTIME_SOCKET;
if (socketPath) {
  if (existsSync(socketPath)) unlinkSync(socketPath);
  server.listen(socketPath, announceReady);
} else {
  server.listen(Number(process.env.PORT || 3000), announceReady);
}

// The server holds our stdin open; when it goes away (even killed), so do we.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();

/** The supervisor waits for this line; the entrypoint starts loading at once (its errors surface per request). */
function announceReady() {
  process.stdout.write('open-runtimes ready\n');
  loadFunction().catch(() => {});
}
