import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Where a server process's output files stood when a request began. */
export interface OutputMark {
  output: number;
  errors: number;
}

function sizeOf(file: string): number {
  return statSync(file, { throwIfNoEntry: false })?.size ?? 0;
}

export function markOutput(logsDir: string): OutputMark {
  return { output: sizeOf(join(logsDir, 'output.log')), errors: sizeOf(join(logsDir, 'errors.log')) };
}

/** What a file gained since `from`; all of it when it was started over meanwhile. */
function readSince(file: string, from: number, maxBytes: number): string {
  const size = sizeOf(file);
  const start = size < from ? 0 : from;
  const length = Math.min(size - start, maxBytes);
  if (length <= 0) return '';
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * What the site's server printed while a request ran (stdout as logs, stderr as errors). A server
 * answers requests at once, so under concurrent requests this may hold another's lines too.
 */
export function outputSince(logsDir: string, mark: OutputMark, maxBytes: number): { logs: string; errors: string } {
  return { logs: readSince(join(logsDir, 'output.log'), mark.output, maxBytes), errors: readSince(join(logsDir, 'errors.log'), mark.errors, maxBytes) };
}
