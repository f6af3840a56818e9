import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { brotliTotal, gzipTotal, type AssetSize, type BundleSizes } from './console-bundle.js';
import type { PageLoad } from './console-browser.js';
import { median } from './report.js';

export interface ConsoleReport {
  date: Date;
  loadAtStart: number;
  chromium: string;
  runs: number;
  bundle: BundleSizes;
  signIn: { plinth: PageLoad[]; baseline: PageLoad[] };
  rows: { total: number; pageSize: number; seedMs: number; page: PageLoad[]; apiMs: number[] };
  screenshots: string[];
}

/** Goals the console was built to: initial JS under 150 KB gzip, the first page of rows within a second. */
export const GOALS = { initialJsKb: 150, rowsVisibleMs: 1000 };

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number) => `${Math.round(value)} ms`;
const each = (values: number[]) => values.map((value) => Math.round(value)).join(', ');
const readyTimes = (loads: PageLoad[]) => loads.map((load) => load.readyMs);

function bundleRow(part: string, assets: AssetSize[], goal = ''): string {
  const raw = assets.reduce((sum, asset) => sum + asset.bytes, 0);
  return `| ${part} | ${assets.map((asset) => `\`${asset.file}\``).join(', ') || '–'} | ${kb(raw)} | ${kb(gzipTotal(assets))} | ${kb(brotliTotal(assets))} | ${goal} |`;
}

/** Each API path the loads requested, with the medians over the loads of when it started and how long it took. */
function apiCallLines(loads: PageLoad[]): string[] {
  const byPath = new Map<string, PageLoad['apiCalls']>();
  for (const load of loads) for (const call of load.apiCalls) byPath.set(call.path, [...(byPath.get(call.path) ?? []), call]);
  return [...byPath].map(([path, calls]) => {
    const count = calls.length === loads.length ? '' : ` (in ${calls.length} of ${loads.length} loads)`;
    return `| \`${path}\`${count} | ${ms(median(calls.map((call) => call.startMs)))} | ${ms(median(calls.map((call) => call.ms)))} |`;
  });
}

export function renderConsoleReport(report: ConsoleReport): string {
  const { bundle, signIn, rows } = report;
  const signInPlinth = median(readyTimes(signIn.plinth));
  const signInBaseline = median(readyTimes(signIn.baseline));
  const rowsVisible = median(readyTimes(rows.page));
  const api = median(rows.apiMs);
  const initialJs = gzipTotal(bundle.initialJs);
  const busy = report.loadAtStart > availableParallelism() / 2;
  return [
    '# Plinth web console benchmark',
    '',
    `- Date: ${report.date.toISOString()}`,
    `- Machine: nproc ${availableParallelism()}, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ${cpus()[0]?.model.trim() ?? 'unknown CPU'}; ` +
      `1-min load average ${report.loadAtStart.toFixed(2)} at start, ${loadavg()[0]?.toFixed(2)} at end`,
    `- Node ${process.version}; headless Chromium ${report.chromium} (the browser tests' flags), ${report.runs} cold loads per timing after one unrecorded one, each in a new browser context (empty cache), viewport 1280×800`,
    '- Plinth: `plinth serve` on SQLite in a fresh data directory with the built console, PLINTH_LOG_LEVEL=warn, on 127.0.0.1, as is the baseline; the browser, the bench and both servers share the machine.',
    ...(busy ? ['', `> **Shared loaded machine:** load ${report.loadAtStart.toFixed(2)} on ${availableParallelism()} CPUs at start; absolute times are high and ratios noisy. Re-run on a quiet machine.`] : []),
    '',
    '## Download (console/dist, as served)',
    '',
    '| part | files | raw | gzip | brotli | goal (gzip) |',
    '|---|---|---:|---:|---:|---|',
    bundleRow('initial JS (index.html: module script and modulepreloads)', bundle.initialJs, `< ${GOALS.initialJsKb} KB: ${initialJs / 1024 < GOALS.initialJsKb ? 'met' : '**missed**'}`),
    bundleRow('initial CSS', bundle.initialCss),
    bundleRow(`largest lazily loaded chunk (of ${bundle.lazyChunks})`, bundle.largestLazy ? [bundle.largestLazy] : []),
    '',
    'Sizes are of the build\'s own `.gz` and `.br` copies, which the server sends as the browser accepts them.',
    '',
    '## Sign-in page: time to interactive',
    '',
    'From navigation start (the page\'s `performance.timeOrigin`) to the sign-in form\'s button being enabled, one frame painted ' +
      'and the main thread idle (`requestIdleCallback`), read in the page; the console first asks the server for the session (401 signed out).',
    '',
    '| server | median | each (ms) | speed vs baseline | received (compressed bodies) |',
    '|---|---:|---|---:|---:|',
    `| Plinth, \`/console/\` | ${ms(signInPlinth)} | ${each(readyTimes(signIn.plinth))} | ${(signInBaseline / signInPlinth).toFixed(2)}× | ${kb(signIn.plinth[0]?.bodyBytes ?? NaN)} |`,
    `| baseline: node:http with the same console/dist files and Plinth's 401 answer to every /v1 request | ${ms(signInBaseline)} | ${each(readyTimes(signIn.baseline))} | 1.00× | ${kb(signIn.baseline[0]?.bodyBytes ?? NaN)} |`,
    '',
    'The baseline loads and runs exactly the same HTML, JS and CSS, so the ratio compares only how Plinth serves them (its static files with their headers, ' +
      'the session check) with the plainest server; the baseline\'s time is about the floor for this bundle in this browser on this machine. The loads take turns between the two servers, swapping which goes first each time.',
    '',
    `## Rows grid: a table of ${rows.total.toLocaleString('en-US')} rows`,
    '',
    `Rows seeded through the API with a key, bulk creates of 100, 4 in flight: ${(rows.seedMs / 1000).toFixed(1)} s. ` +
      `Timed: a signed-in cold load of the table's page (new context with the session cookie) until its grid shows the first ${rows.pageSize} rows, painted.`,
    '',
    '| what | median | each (ms) | goal |',
    '|---|---:|---|---|',
    `| navigation start to the first page of rows visible | ${ms(rowsVisible)} | ${each(readyTimes(rows.page))} | < ${GOALS.rowsVisibleMs} ms: ${rowsVisible < GOALS.rowsVisibleMs ? 'met' : '**missed**'} |`,
    `| of which, to the rows being in the DOM (before the frame that paints them) | ${ms(median(rows.page.map((load) => load.inDomMs)))} | ${each(rows.page.map((load) => load.inDomMs))} | |`,
    `| baseline: the same \`listRows\` (limit ${rows.pageSize}, offset 0, by \`$createdAt\`, with the total) from Node with the key | ${ms(api)} | ${each(rows.apiMs)} | |`,
    '',
    'The API requests of those loads before their rows showed, one after another, and of the sign-in page\'s loads, as the pages\' ' +
      'Resource Timing saw them (medians; the time includes queueing in a busy browser):',
    '',
    '| request | starts after navigation | takes |',
    '|---|---:|---:|',
    ...apiCallLines(rows.page),
    '| *sign-in page:* | | |',
    ...apiCallLines(signIn.plinth),
    '',
    '## Screenshots',
    '',
    ...report.screenshots.map((file) => `- \`${file}\``),
    '',
  ].join('\n');
}
