import { readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

/** Short logs come back in a header: base64 of the JSON pair [logs, errors]. */
export function decodeInlineLogs(header: string): { logs: string; errors: string } {
  try {
    const [logs, errors] = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as [unknown, unknown];
    return { logs: typeof logs === 'string' ? logs : '', errors: typeof errors === 'string' ? errors : '' };
  } catch {
    return { logs: '', errors: '' };
  }
}

/** Longer logs come back as files in the run directory, read once and removed. */
export function takeLogFiles(runDir: string, logId: string): { logs: string; errors: string } {
  const read = (name: string) => {
    const file = join(runDir, 'logs', `${logId}_${name}.log`);
    try {
      const text = readFileSync(file, 'utf8');
      unlinkSync(file);
      return text;
    } catch {
      return '';
    }
  };
  return { logs: read('logs'), errors: read('errors') };
}
