import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import * as tar from 'tar';

const run = promisify(execFile);

/** This project's function templates (`templates/functions/<family>/<template>`). */
export const TEMPLATES_DIR = new URL('../../templates/functions/', import.meta.url).pathname;

/** Every file under a folder, by its path inside it: a template's files as a deployment takes them. */
export function filesOf(dir: string, prefix = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(files, filesOf(path, `${prefix}${name}/`));
    else files[`${prefix}${name}`] = readFileSync(path, 'utf8');
  }
  return files;
}

/** Packs files (path → content) into a .tar.gz, as `appwrite push` would upload a function folder. */
export async function packFunction(files: Record<string, string | Buffer>): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'plinth-fn-'));
  try {
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(dir, 'src', path)), { recursive: true });
      await writeFile(join(dir, 'src', path), content);
    }
    const archive = join(dir, 'code.tar.gz');
    await tar.c({ gzip: true, file: archive, cwd: join(dir, 'src') }, Object.keys(files));
    return await readFile(archive);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A function shaped as `appwrite init function` lays one out: an ES module answering JSON, or text on /ping. */
export const NODE_STARTER = {
  'package.json': JSON.stringify({ name: 'starter', version: '1.0.0', type: 'module', main: 'src/main.js' }),
  'src/main.js': `
export default async ({ req, res, log, error }) => {
  log('Starter called: ' + req.method + ' ' + req.path);
  if (!req.headers['x-appwrite-key']) error('The server injected no API key.');
  if (req.path === '/ping') return res.text('Pong');
  return res.json({ greeting: 'Hello from Plinth', path: req.path });
};
`,
};

/** A CommonJS function that reports what it was given and misbehaves on request. */
export const NODE_ECHO = {
  'package.json': JSON.stringify({ name: 'echo', version: '1.0.0' }),
  'index.js': `
const fs = require('node:fs');
const net = require('node:net');
let loads = (globalThis.__loads = (globalThis.__loads || 0) + 1);

module.exports = async ({ req, res, log, error }) => {
  log('echo ' + req.method + ' ' + req.path);
  if (req.headers['x-appwrite-event']) log('event ' + req.headers['x-appwrite-event'] + ' for ' + req.body.email);
  console.log('from console.log');
  console.error('from console.error');
  switch (req.path) {
    case '/throw':
      throw new Error('thrown on purpose');
    case '/none':
      return;
    case '/sleep':
      await new Promise((resolve) => setTimeout(resolve, 10000));
      return res.text('too late');
    case '/busy':
      for (;;) {}
    case '/read':
      try {
        return res.json({ entries: fs.readdirSync(req.query.dir) });
      } catch (failure) {
        return res.json({ failure: failure.code });
      }
    case '/connect':
      return res.json(await new Promise((resolve) => {
        const socket = net.connect({ host: '127.0.0.1', port: Number(req.query.port) });
        socket.setTimeout(2000, () => { socket.destroy(); resolve({ failure: 'timeout' }); });
        socket.on('connect', () => { socket.destroy(); resolve({ connected: true }); });
        socket.on('error', (failure) => resolve({ failure: failure.code }));
      }));
    case '/hog': {
      const hoard = [];
      for (;;) hoard.push(Buffer.alloc(64 * 1024 * 1024, 1));
    }
    case '/fill-tmp':
      try {
        const chunk = Buffer.alloc(1024 * 1024, 1);
        for (let i = 0; i < 200; i++) fs.appendFileSync('/tmp/filler', chunk);
        return res.json({ written: true });
      } catch (failure) {
        fs.rmSync('/tmp/filler', { force: true });
        return res.json({ failure: failure.code });
      }
    case '/long-log':
      log('x'.repeat(20000));
      error('y'.repeat(30000));
      return res.text('logged');
    case '/fork': {
      // Starts processes until the sandbox refuses one, then ends them all.
      const { spawn } = require('node:child_process');
      const children = [];
      let failure = null;
      for (let i = 0; i < 2000 && !failure; i++) {
        try {
          const child = spawn('/bin/sh', ['-c', 'sleep 30'], { stdio: 'ignore' });
          if (child.pid === undefined) failure = 'no pid';
          child.on('error', (cause) => (failure = failure || cause.code));
          children.push(child);
        } catch (cause) {
          failure = cause.code || String(cause);
        }
        if (i % 16 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      for (const child of children) child.kill('SIGKILL');
      return res.json({ started: children.filter((child) => child.pid !== undefined).length, failure });
    }
    case '/fork-bomb':
      require('node:child_process').spawn('/bin/sh', ['-c', 'bomb() { bomb | bomb & }; bomb'], { stdio: 'ignore' });
      await new Promise((resolve) => setTimeout(resolve, 10000));
      return res.text('survived');
    case '/redirect':
      return res.redirect('https://example.com/next', 302);
    case '/empty':
      return res.empty();
  }
  return res.json(
    {
      method: req.method,
      path: req.path,
      query: req.query,
      queryString: req.queryString,
      body: req.body,
      bodyText: req.bodyText,
      headers: req.headers,
      loads,
      env: {
        greeting: process.env.GREETING,
        projectWide: process.env.PROJECT_WIDE,
        functionId: process.env.APPWRITE_FUNCTION_ID,
        projectId: process.env.APPWRITE_FUNCTION_PROJECT_ID,
        runtime: process.env.APPWRITE_FUNCTION_RUNTIME_NAME,
        deployment: process.env.APPWRITE_FUNCTION_DEPLOYMENT,
        secretKept: process.env.OPEN_RUNTIMES_SECRET === undefined ? 'hidden' : 'visible',
        serverSecret: process.env.PLINTH_SECRET ?? null,
      },
    },
    200,
    { 'x-dropped': 'yes' },
  );
};
`,
};

export const NODE_SYNTAX_ERROR = {
  'index.js': 'module.exports = async ({ res }) => { return res.text("unbalanced" ;\n',
};

/** A build step writes the entrypoint; no registry is needed. */
export const NODE_BUILT = {
  'build.js': `require('node:fs').writeFileSync('built.js', 'module.exports = async ({ res }) => res.text("made by the build step");'); console.log('build step ran');`,
};

export const PYTHON_ECHO = {
  'src/main.py': `
import json
import os
import platform


def main(context):
    context.log("python got " + context.req.method + " " + context.req.path)
    print("from print")
    if context.req.path == "/throw":
        raise RuntimeError("python failed on purpose")
    if context.req.path == "/text":
        return context.res.text("plain text", 201)
    return context.res.json({
        "runtime": "python",
        "version": platform.python_version(),
        "query": context.req.query,
        "body": context.req.body,
        "greeting": os.environ.get("GREETING"),
        "trigger": context.req.headers.get("x-appwrite-trigger"),
    })
`,
};

/** A tiny CommonJS package, packed by `npm pack` as it would be published. */
export async function packGreetingPackage(): Promise<{ file: string; tarball: Buffer }> {
  const dir = await mkdtemp(join(tmpdir(), 'plinth-pkg-'));
  try {
    await mkdir(join(dir, 'package'));
    await writeFile(join(dir, 'package', 'package.json'), JSON.stringify({ name: 'plinth-greeting', version: '1.0.0', main: 'index.js' }));
    await writeFile(join(dir, 'package', 'index.js'), "exports.greet = (name) => 'Hello, ' + name + ', from plinth-greeting';\n");
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: join(dir, 'package') });
    const [packed] = JSON.parse(stdout) as Array<{ filename: string }>;
    return { file: packed!.filename, tarball: await readFile(join(dir, packed!.filename)) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * An ES module function that imports an npm dependency its build command (`npm install`)
 * installs. The dependency is a tarball inside the deployment, so no registry is needed.
 */
export function npmDependencyFunction(pkg: { file: string; tarball: Buffer }): Record<string, string | Buffer> {
  return {
    'package.json': JSON.stringify({ name: 'with-dependency', version: '1.0.0', type: 'module', main: 'src/main.js', dependencies: { 'plinth-greeting': `file:vendor/${pkg.file}` } }),
    [`vendor/${pkg.file}`]: pkg.tarball,
    'src/main.js': `
import { createRequire } from 'node:module';
import { greet } from 'plinth-greeting';

const require = createRequire(import.meta.url);

export default async ({ res }) => res.json({ greeting: greet('sandbox'), loadedFrom: require.resolve('plinth-greeting') });
`,
  };
}

/** Logs what an event-triggered execution received: the event header, the trigger and the body. */
export const NODE_EVENT_REPORTER = {
  'index.js': `
module.exports = async ({ req, res, log }) => {
  log(JSON.stringify({ event: req.headers['x-appwrite-event'], trigger: req.headers['x-appwrite-trigger'], contentType: req.headers['content-type'], body: req.body }));
  return res.empty();
};
`,
};

/**
 * A function of the starter's shape that uses node-appwrite: it reads the endpoint and project from the
 * runtime's variables and the key the server injects, and lists users, as generated starters do.
 */
export const NODE_SDK_STARTER = {
  'package.json': JSON.stringify({ name: 'sdk-starter', version: '1.0.0', type: 'module', main: 'src/main.js', dependencies: { 'node-appwrite': '*' } }),
  'src/main.js': `
import { Client, Users } from 'node-appwrite';

export default async ({ req, res, log, error }) => {
  const client = new Client()
    .setEndpoint(process.env.APPWRITE_FUNCTION_API_ENDPOINT)
    .setProject(process.env.APPWRITE_FUNCTION_PROJECT_ID)
    .setKey(req.headers['x-appwrite-key'] ?? '');
  try {
    const { total } = await new Users(client).list();
    log('Total users: ' + total);
  } catch (failure) {
    error('Listing users failed: ' + failure.message);
  }
  if (req.path === '/ping') return res.text('Pong');
  return res.json({ greeting: 'Hello from Plinth' });
};
`,
};

/** node-appwrite and what it requires, copied from this repository's node_modules as `npm install` would leave them. */
export async function withNodeAppwrite(files: Record<string, string | Buffer>): Promise<Record<string, string | Buffer>> {
  const root = join(import.meta.dirname, '../../node_modules');
  const packed: Record<string, string | Buffer> = { ...files };
  for (const name of ['node-appwrite', 'undici', 'json-bigint', 'bignumber.js']) {
    for (const entry of await readdir(join(root, name), { recursive: true, withFileTypes: true })) {
      // Source maps and type declarations are most of the size and nothing at run time.
      if (!entry.isFile() || /\.(map|d\.m?ts|md)$/.test(entry.name)) continue;
      const path = join(entry.parentPath, entry.name);
      packed[relative(join(root, '..'), path)] = await readFile(path);
    }
  }
  return packed;
}

/** Reports whether it reaches a URL (`/fetch?url=`) or a TCP port (`/connect?host=&port=`). */
export const NODE_NETWORK_PROBE = {
  'index.js': `
const net = require('node:net');

module.exports = async ({ req, res }) => {
  if (req.path === '/fetch') {
    try {
      const response = await fetch(req.query.url, { signal: AbortSignal.timeout(3000) });
      return res.json({ status: response.status, body: await response.text() });
    } catch (failure) {
      return res.json({ failure: (failure.cause && failure.cause.code) || failure.name });
    }
  }
  return res.json(await new Promise((resolve) => {
    const socket = net.connect({ host: req.query.host || '127.0.0.1', port: Number(req.query.port) });
    socket.setTimeout(3000, () => { socket.destroy(); resolve({ failure: 'timeout' }); });
    socket.on('connect', () => { socket.destroy(); resolve({ connected: true }); });
    socket.on('error', (failure) => resolve({ failure: failure.code }));
  }));
};
`,
};

/** A PHP function needing a package installed by Composer from a folder of the deployment (no registry). */
export const COMPOSER_DEPENDENCY_FUNCTION: Record<string, string> = {
  'composer.json': JSON.stringify({
    repositories: [{ type: 'path', url: 'packages/greeting', options: { symlink: false } }, { 'packagist.org': false }],
    require: { 'plinth/greeting': '*' },
  }),
  'packages/greeting/composer.json': JSON.stringify({ name: 'plinth/greeting', version: '1.0.0', autoload: { 'psr-4': { 'Plinth\\Greeting\\': 'src/' } } }),
  'packages/greeting/src/Greeter.php': `<?php
namespace Plinth\\Greeting;

final class Greeter
{
    public static function greet(string $name): string
    {
        return "Hello, $name, from plinth/greeting";
    }
}
`,
  'index.php': `<?php
use Plinth\\Greeting\\Greeter;

return fn ($context) => $context->res->json(['greeting' => Greeter::greet('sandbox')]);
`,
};

/** A Ruby function needing a gem installed by Bundler from a folder of the deployment (no registry). */
export const BUNDLER_DEPENDENCY_FUNCTION: Record<string, string> = {
  Gemfile: "gem 'plinth-greeting', path: 'gems/greeting'\n",
  'gems/greeting/plinth-greeting.gemspec': `Gem::Specification.new do |spec|
  spec.name = 'plinth-greeting'
  spec.version = '1.0.0'
  spec.summary = 'A greeting'
  spec.authors = ['Plinth']
  spec.files = ['lib/plinth/greeting.rb']
end
`,
  'gems/greeting/lib/plinth/greeting.rb': `module Plinth
  module Greeting
    def self.greet(name) = "Hello, #{name}, from plinth-greeting"
  end
end
`,
  'main.rb': `require 'plinth/greeting'

def main(context)
  context.res.json({ greeting: Plinth::Greeting.greet('sandbox') })
end
`,
};
