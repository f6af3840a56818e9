import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Screenshots of the console for a reviewer to look at; not committed. */
export const CONSOLE_SHOTS = join(process.cwd(), 'test-results', 'console');

/** Chromium logs each 4xx answer to a request as a console error; tests expecting failures allow these. */
export const FAILED_REQUEST = /Failed to load resource: the server responded with a status of 4\d\d/;

/** Every uncaught page error and console error of the page, collected for a final check. */
export function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  return problems;
}

/**
 * A screenshot for the reviewer, and axe-core's check of the page as it stands: no serious or
 * critical violation. axe is evaluated through the debugging protocol, which the page's CSP allows.
 */
export async function checkConsolePage(page: Page, name: string): Promise<void> {
  await mkdir(CONSOLE_SHOTS, { recursive: true });
  await page.screenshot({ path: join(CONSOLE_SHOTS, `${name}.png`), fullPage: true });
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(await AXE_SOURCE);
  const { checked, violations } = await page.evaluate(async () => {
    const result = await (globalThis as any).axe.run((globalThis as any).document, { resultTypes: ['violations'] });
    const checked = result.passes.length + result.violations.length;
    const violations = (result.violations as { id: string; impact: string; help: string; nodes: { target: string[] }[] }[])
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
    return { checked: checked as number, violations };
  });
  assert.ok(checked > 10, `axe ran its rules on ${name}`);
  assert.deepEqual(violations, [], `accessibility of ${name}`);
}
