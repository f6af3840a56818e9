import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { TestServer, type StartOptions } from './plinth.js';

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

export const CONSOLE_ADMIN = { email: 'root@example.com', password: 'console password' };

/** A server with its first administrator signed in, in Chromium, on a project of an organization. */
export interface ConsoleFixture {
  server: TestServer;
  browser: Browser;
  page: Page;
  /** Page errors and console errors so far; see `collectProblems`. */
  problems: string[];
  /** An API key of the project with every scope, to check from outside what the pages did. */
  key: string;
  /** The organization's page, where its members and projects are. */
  organizationUrl: string;
  stop(): Promise<void>;
}

/**
 * The setup every console test starts from: the first administrator created through the link the
 * server printed, then an organization holding the project `projectId` (named `projectName`).
 */
export async function openConsoleProject(options: { projectId: string; projectName: string; organization?: string; server?: StartOptions; context?: BrowserContextOptions }): Promise<ConsoleFixture> {
  const [browser, server] = await Promise.all([launchBrowser(), TestServer.start(options.server)]);
  const stop = async () => {
    await browser.close();
    await server.stop();
  };
  try {
    const page = await (await browser.newContext(options.context)).newPage();
    const problems = collectProblems(page);
    const heading = (name: string) => page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
    const setup = /http:\/\/\S+\/console\/setup\?token=\S+/.exec(server.logs.find((line) => line.includes('/console/setup?token=')) ?? '')?.[0];
    assert.ok(setup, 'the server prints the setup link');
    await page.goto(setup);
    await page.getByLabel('Email').fill(CONSOLE_ADMIN.email);
    await page.getByLabel('Password').fill(CONSOLE_ADMIN.password);
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await heading('Organizations');
    await page.getByLabel('Name').fill(options.organization ?? 'Acme');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await heading(options.organization ?? 'Acme');
    const organizationUrl = page.url();
    await page.getByLabel('Name', { exact: true }).fill(options.projectName);
    await page.getByLabel('Project ID (optional)').fill(options.projectId);
    await page.getByRole('button', { name: 'Create project' }).click();
    await heading(options.projectName);
    return { server, browser, page, problems, key: await server.createKey(options.projectId), organizationUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
