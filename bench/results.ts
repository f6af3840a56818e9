// What every bench does at its ends: write its markdown under bench/results/, and fail loudly.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The path of a results file, e.g. `resultsFile('webhooks.md')`. */
export function resultsFile(name: string): string {
  return fileURLToPath(new URL(`./results/${name}`, import.meta.url));
}

export async function saveResults(file: string, markdown: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, markdown);
}

/** Saves the report, then prints it with where it went. */
export async function writeResults(file: string, markdown: string): Promise<void> {
  await saveResults(file, markdown);
  process.stdout.write(`\n${markdown}\nWritten to ${file}\n`);
}

/** Runs a bench's main; a failure prints its stack under the bench's tag and makes the exit code 1. */
export async function runBench(tag: string, main: () => Promise<void>): Promise<void> {
  await main().catch((error: unknown) => {
    process.stderr.write(`[${tag}] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
