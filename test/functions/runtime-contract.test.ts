// @engine-independent: a runtime's contract is the same whatever engine stores the function.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';

const RUNTIMES = resolve(import.meta.dirname, '../../runtimes');
const SECRET = 'contract-secret';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  logs: [string, string] | undefined;
}

/** One request over the runtime's Unix socket, as Plinth's pool sends it. */
function call(socketPath: string, options: { method?: string; path?: string; headers?: Record<string, string>; body?: Buffer | string }): Promise<Answer> {
  return new Promise((done, fail) => {
    const body = Buffer.from(options.body ?? '');
    const outgoing = request(
      { socketPath, method: options.method ?? 'POST', path: options.path ?? '/', headers: { 'content-length': String(body.length), ...options.headers } },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          const inline = incoming.headers['x-open-runtimes-logs'];
          done({
            status: incoming.statusCode ?? 0,
            headers: incoming.headers,
            body: Buffer.concat(chunks),
            logs: typeof inline === 'string' ? (JSON.parse(Buffer.from(inline, 'base64').toString('utf8')) as [string, string]) : undefined,
          });
        });
      },
    );
    outgoing.on('error', fail);
    outgoing.end(body);
  });
}

async function startRuntime(program: string[], files: Record<string, string>, entrypoint: string): Promise<{ socket: string; child: ChildProcess; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'plinth-contract-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, 'code', path)), { recursive: true });
    await writeFile(join(dir, 'code', path), content);
  }
  const socket = join(dir, 'rt.sock');
  const child = spawn(program[0]!, program.slice(1), {
    env: { PATH: process.env.PATH ?? '', OPEN_RUNTIMES_SECRET: SECRET, OPEN_RUNTIMES_ENTRYPOINT: entrypoint, PLINTH_RUNTIME_CODE: join(dir, 'code'), PLINTH_RUNTIME_SOCKET: socket },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  await new Promise<void>((ready, fail) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('open-runtimes ready') && ready());
    child.on('exit', (code) => fail(new Error(`runtime exited with ${code}`)));
  });
  return { socket, child, dir };
}

const NODE_FUNCTION = `
module.exports = async ({ req, res, log }) => {
  log('seen ' + req.method);
  if (req.path === '/binary') return res.binary(Buffer.from(req.bodyBinary).reverse());
  return res.json({ body: req.body, type: typeof req.body, host: req.host, port: req.port, scheme: req.scheme, url: req.url }, 207, { 'X-Made': 'here' });
};`;

const PYTHON_FUNCTION = `
def main(context):
    context.log("seen " + context.req.method)
    if context.req.path == "/binary":
        return context.res.binary(bytes(reversed(context.req.body_binary)))
    body = context.req.body
    return context.res.json({"body": body if not isinstance(body, bytes) else "bytes", "type": type(body).__name__, "host": context.req.host, "port": context.req.port, "scheme": context.req.scheme, "url": context.req.url}, 207, {"X-Made": "here"})
`;

for (const [name, program, files, entrypoint] of [
  ['node', [process.execPath, join(RUNTIMES, 'node/server.mjs')], { 'index.js': NODE_FUNCTION }, 'index.js'],
  ['python', ['/usr/bin/python3', '-B', join(RUNTIMES, 'python/server.py')], { 'main.py': PYTHON_FUNCTION }, 'main.py'],
] as const) {
  describe(`the ${name} runtime speaks the Open Runtimes contract`, () => {
    let runtime: Awaited<ReturnType<typeof startRuntime>>;
    const secret = { 'x-open-runtimes-secret': SECRET };

    before(async () => {
      runtime = await startRuntime([...program], files, entrypoint);
    });
    after(async () => {
      runtime.child.kill('SIGKILL');
      await rm(runtime.dir, { recursive: true, force: true });
    });

    test('refuses a request without the secret', async () => {
      const answer = await call(runtime.socket, {});
      assert.equal(answer.status, 500);
      assert.match(answer.body.toString(), /x-open-runtimes-secret/);
      const wrong = await call(runtime.socket, { headers: { 'x-open-runtimes-secret': 'nope' } });
      assert.equal(wrong.status, 500);
    });

    test('parses the body by content type and describes the URL', async () => {
      const answer = await call(runtime.socket, {
        path: '/x?a=1',
        headers: { ...secret, 'content-type': 'application/json', host: 'fn.example.com:8443', 'x-forwarded-proto': 'https' },
        body: '{"n":1}',
      });
      assert.equal(answer.status, 207);
      assert.equal(answer.headers['x-made'], 'here');
      const parsed = JSON.parse(answer.body.toString());
      assert.deepEqual(parsed.body, { n: 1 });
      assert.equal(parsed.host, 'fn.example.com');
      assert.equal(parsed.port, 8443);
      assert.equal(parsed.scheme, 'https');
      assert.equal(parsed.url, 'https://fn.example.com:8443/x?a=1');
      const text = await call(runtime.socket, { headers: { ...secret, 'content-type': 'text/plain' }, body: 'plain' });
      assert.equal(JSON.parse(text.body.toString()).body, 'plain');
    });

    test('answers binary bodies byte for byte', async () => {
      const answer = await call(runtime.socket, { path: '/binary', headers: { ...secret, 'content-type': 'application/octet-stream' }, body: Buffer.from([1, 2, 255]) });
      assert.deepEqual([...answer.body], [255, 2, 1]);
      assert.equal(answer.headers['content-type'], 'application/octet-stream');
    });

    test('returns logs unless logging is disabled', async () => {
      const logged = await call(runtime.socket, { headers: secret });
      assert.deepEqual(logged.logs, ['seen POST', '']);
      const quiet = await call(runtime.socket, { headers: { ...secret, 'x-open-runtimes-logging': 'disabled' } });
      assert.equal(quiet.logs, undefined);
    });
  });
}
