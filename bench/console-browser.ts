// Cold loads of console pages in headless Chromium, timed inside the page from navigation start
// (performance.timeOrigin) to the moment a condition holds, so nothing of the bench's own round
// trips to the browser is counted.
import type { Browser, BrowserContextOptions } from 'playwright-core';

/** What the page must show: at least `count` elements matching `selector`. */
export interface ReadyWhen {
  selector: string;
  count: number;
  /** Also wait for the main thread to be idle (requestIdleCallback), as time to interactive does. */
  idle: boolean;
}

export interface PageLoad {
  /** Navigation start to the condition holding, the frame after it painted (and idle, if asked). */
  readyMs: number;
  /** Navigation start to the condition first holding in the DOM, before the frame that paints it. */
  inDomMs: number;
  /** The API requests the page made before then: when each started after navigation start, and how long it took, in the page's Resource Timing. */
  apiCalls: { path: string; startMs: number; ms: number }[];
  /** Bytes of response bodies received before then, as sent (compressed): the document, scripts, styles, API answers. */
  bodyBytes: number;
}

export const VIEWPORT = { width: 1280, height: 800 };
const LOAD_TIMEOUT_MS = 30_000;

/**
 * Installed before any of the page's scripts: a MutationObserver watches for the condition, then
 * one animation frame plus a task lets the browser paint it; `performance.now()` there is the time.
 * Plain source text: tsx would wrap named functions in a helper the page does not have.
 */
const watchForReady = (when: ReadyWhen) => `
globalThis.__benchReady = new Promise((resolve) => {
  const when = ${JSON.stringify(when)};
  const settle = () => {
    performance.mark('bench-ready');
    resolve(performance.now());
  };
  const check = () => {
    if (document.querySelectorAll(when.selector).length < when.count) return;
    observer.disconnect();
    globalThis.__benchInDom = performance.now();
    requestAnimationFrame(() => setTimeout(() => (when.idle ? requestIdleCallback(settle) : settle()), 0));
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled'] });
  check();
});`;

/** One load of `url` in a new context (empty HTTP cache, only the given cookies), timed to `when`. */
export async function timeColdLoad(browser: Browser, url: string, when: ReadyWhen, context: BrowserContextOptions = {}): Promise<PageLoad> {
  const browserContext = await browser.newContext({ viewport: VIEWPORT, ...context });
  try {
    const page = await browserContext.newPage();
    page.setDefaultTimeout(LOAD_TIMEOUT_MS);
    await page.addInitScript({ content: watchForReady(when) });
    await page.goto(url, { waitUntil: 'commit' });
    const readyMs = await page.evaluate(() => (globalThis as unknown as { __benchReady: Promise<number> }).__benchReady);
    const inDomMs = await page.evaluate(() => (globalThis as unknown as { __benchInDom: number }).__benchInDom);
    const { apiCalls, bodyBytes } = await page.evaluate((readyAt) => {
      type Entry = { name: string; startTime: number; responseEnd: number; encodedBodySize: number };
      // The page's Performance, not Node's, whose types the bench compiles with.
      const timeline = performance as unknown as { getEntriesByType(type: string): Entry[] };
      const entries = [...timeline.getEntriesByType('navigation'), ...timeline.getEntriesByType('resource')];
      const before = entries.filter((entry) => entry.responseEnd <= readyAt);
      return {
        apiCalls: before.filter((entry) => new URL(entry.name).pathname.startsWith('/v1/')).map((entry) => ({ path: new URL(entry.name).pathname, startMs: entry.startTime, ms: entry.responseEnd - entry.startTime })),
        bodyBytes: before.reduce((sum, entry) => sum + entry.encodedBodySize, 0),
      };
    }, readyMs);
    return { readyMs, inDomMs, apiCalls, bodyBytes };
  } finally {
    await browserContext.close();
  }
}

/** `runs` cold loads one after another, after one unrecorded load that warms the server's caches. */
export async function timeColdLoads(browser: Browser, url: string, when: ReadyWhen, runs: number, context: BrowserContextOptions = {}): Promise<PageLoad[]> {
  await timeColdLoad(browser, url, when, context);
  const loads: PageLoad[] = [];
  for (let run = 0; run < runs; run++) loads.push(await timeColdLoad(browser, url, when, context));
  return loads;
}

/** The sign-in form with its button enabled: the first thing a signed-out administrator can use. */
export const SIGN_IN_READY: ReadyWhen = { selector: 'form button.primary[type="submit"]:not([disabled])', count: 1, idle: true };

/** A full first page of the rows grid. */
export const rowsReady = (pageSize: number): ReadyWhen => ({ selector: '.grid tbody tr', count: pageSize, idle: false });

/** Signs in through the sign-in form and answers the context state holding the session cookie. */
export async function signIn(browser: Browser, consoleUrl: string, email: string, password: string): Promise<BrowserContextOptions['storageState']> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    const page = await context.newPage();
    await page.goto(consoleUrl);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in to Plinth' }).waitFor({ state: 'detached' });
    const state = await context.storageState();
    if (!state.cookies.some((cookie) => cookie.name.startsWith('a_session_console'))) throw new Error('signing in left no console session cookie');
    return state;
  } finally {
    await context.close();
  }
}
