// Plinth's server-side rendering runtime. It starts a site's own web server (the framework's Node
// server, by the site's start command) on a loopback port inside the sandbox, and relays every
// connection from a Unix socket (which the host reaches across the sandbox) to that port, byte for
// byte, so requests and answers stream both ways unchanged.
//
// Environment: PLINTH_SSR_START_COMMAND (a shell line), PLINTH_RUNTIME_CODE (the built site; the
// command's working directory), PLINTH_RUNTIME_SOCKET (where to listen), PLINTH_RUNTIME_LOGS (where
// the server's output goes: output.log and errors.log). The rest is the site's environment.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';

const socketPath = process.env.PLINTH_RUNTIME_SOCKET ?? '';
const startCommand = process.env.PLINTH_SSR_START_COMMAND ?? '';
const codeDir = process.env.PLINTH_RUNTIME_CODE || process.cwd();
const logsDir = process.env.PLINTH_RUNTIME_LOGS || '';
/** A log file is emptied past this size; the host reads what each request added. */
const MAX_LOG_BYTES = 4 * 1024 * 1024;
const RETRY_MS = 25;

/** Appends to a log file, starting it over when it grows too large. */
function logFile(name) {
  if (!logsDir) return () => {};
  mkdirSync(logsDir, { recursive: true });
  const path = join(logsDir, name);
  let fd = openSync(path, 'w');
  let size = 0;
  return (chunk) => {
    if (size + chunk.length > MAX_LOG_BYTES) {
      closeSync(fd);
      fd = openSync(path, 'w');
      size = 0;
    }
    writeSync(fd, chunk);
    size += chunk.length;
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function accepting(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const port = await freePort();
const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', HOSTNAME: '127.0.0.1', NITRO_PORT: String(port), NITRO_HOST: '127.0.0.1' };
for (const name of ['PLINTH_SSR_START_COMMAND', 'PLINTH_RUNTIME_SOCKET', 'PLINTH_RUNTIME_LOGS', 'PLINTH_RUNTIME_CODE', 'OPEN_RUNTIMES_SECRET']) delete env[name];

// A process group of its own, so the whole server (the shell and what it started) ends together.
const server = spawn('/bin/sh', ['-c', startCommand], { cwd: codeDir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
const writeOutput = logFile('output.log');
const writeErrors = logFile('errors.log');
server.stdout.on('data', writeOutput);
server.stderr.on('data', (chunk) => {
  writeErrors(chunk);
  // Also this process's own stderr: the host shows its end when the server fails to start.
  process.stderr.write(chunk);
});

function stopServer() {
  try {
    process.kill(-server.pid, 'SIGKILL');
  } catch {}
}

let exiting = false;
server.on('exit', (code, signal) => {
  exiting = true;
  process.stderr.write(`the site's server stopped (${signal ?? `exit code ${code}`})\n`);
  stopServer();
  process.exit(1);
});
// The host closes stdin when it goes: nothing outlives it.
process.stdin.on('end', () => {
  stopServer();
  process.exit(0);
});
process.stdin.resume();
process.on('exit', stopServer);

while (!exiting && !(await accepting(port))) await new Promise((resolve) => setTimeout(resolve, RETRY_MS));

const relay = createServer({ allowHalfOpen: true }, (client) => {
  const upstream = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', close);
  upstream.on('error', close);
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
  client.pipe(upstream);
  upstream.pipe(client);
});
relay.listen(socketPath, () => process.stdout.write('open-runtimes ready\n'));
