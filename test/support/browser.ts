import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Without the background-networking switches Chromium's own connections fail on a closed network. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** One headless Chromium per test file; a missing binary fails the file rather than skipping it. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}: the browser tests need it (apt-get install chromium; .ci/run does this).`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * The published ESM entry imports `json-bigint`, a CommonJS package a browser cannot load
 * by its bare name, so the entry is bundled once with its dependencies into one module.
 */
async function bundleWebSdk(): Promise<string> {
  // The package's `import` condition points at dist/esm/sdk.js.
  const entry = fileURLToPath(import.meta.resolve('appwrite'));
  const result = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent' });
  return result.outputFiles[0]!.text;
}

/** Every path is the same page: it loads the SDK and leaves it on `globalThis.appwrite`. */
const TEST_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>plinth browser test</title></head>
<body><script type="module">
import * as appwrite from '/sdk.js';
globalThis.appwrite = appwrite;
</script></body></html>`;

/** A static server for the test page and the web SDK, on a free loopback port. */
export class PageServer {
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<PageServer> {
    const sdk = await bundleWebSdk();
    const server = createServer((request, response) => {
      const path = (request.url ?? '/').split('?')[0];
      if (path === '/sdk.js') {
        response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(sdk);
      } else if (path === '/favicon.ico') {
        response.writeHead(404).end();
      } else {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(TEST_PAGE);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new PageServer(server, (server.address() as AddressInfo).port);
  }

  /** The page's URL under a host name: `127.0.0.1` is same-site with the API, `localhost` is not. */
  url(host: '127.0.0.1' | 'localhost', path = '/'): string {
    return `http://${host}:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Waits until the page's module script has put the SDK on `globalThis`. */
export async function waitForSdk(page: Page): Promise<void> {
  await page.waitForFunction(() => 'appwrite' in globalThis);
}

/** Opens the test page in a fresh context, so cookies and localStorage start empty. */
export async function openTestPage(browser: Browser, url: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await waitForSdk(page);
  return { context, page };
}

export interface SdkTarget {
  endpoint: string;
  project: string;
}

export interface SdkFailure {
  /** Whether the thrown value is the page's own `AppwriteException` class. */
  appwrite: boolean;
  name: string;
  code: number;
  type: string;
  message: string;
}

export type SdkOutcome<T = any> = { ok: true; value: T } | { ok: false; error: SdkFailure };

/**
 * Calls `new Account(client)[method](params)` inside the page and reports what the SDK
 * returned or threw (an AppwriteException keeps its class name, code and type).
 * The callback avoids inner named functions: it is sent to the page as source text.
 */
export async function callAccount<T = any>(page: Page, target: SdkTarget, method: string, params?: object): Promise<SdkOutcome<T>> {
  return page.evaluate(
    async ({ endpoint, project, method, params }) => {
      const sdk = (globalThis as any).appwrite;
      const account = new sdk.Account(new sdk.Client().setEndpoint(endpoint).setProject(project));
      try {
        const value = params === undefined ? await account[method]() : await account[method](params);
        return { ok: true as const, value: JSON.parse(JSON.stringify(value ?? null)) };
      } catch (error: any) {
        return {
          ok: false as const,
          error: { appwrite: error instanceof sdk.AppwriteException, name: String(error?.name), code: Number(error?.code), type: String(error?.type), message: String(error?.message) },
        };
      }
    },
    { endpoint: target.endpoint, project: target.project, method, params },
  );
}

/** The value of a successful call; a failure becomes a readable assertion error. */
export function valueOf<T>(outcome: SdkOutcome<T>): T {
  if (!outcome.ok) throw new Error(`SDK call failed: ${outcome.error.name} ${outcome.error.code} ${outcome.error.type}: ${outcome.error.message}`);
  return outcome.value;
}

/** A fresh user ID made by the page's own `ID.unique()`. */
export async function uniqueId(page: Page): Promise<string> {
  return page.evaluate(() => (globalThis as any).appwrite.ID.unique() as string);
}

/** What the web SDK keeps in localStorage after a server sent X-Fallback-Cookies. */
export async function readCookieFallback(page: Page): Promise<string | null> {
  return page.evaluate(() => (globalThis as any).localStorage.getItem('cookieFallback') as string | null);
}
