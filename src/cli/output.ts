import { AppError } from '../core/errors.js';
import type { CliContext } from './context.js';

/** With `--json`, stdout holds the JSON and nothing else; otherwise a line per item. */
export function printResult(cli: CliContext, json: boolean, value: unknown, human: () => string): void {
  cli.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

export class UsageError extends Error {}

/** Reports a failed command on stderr; API errors show their type, as the API would. */
export function reportFailure(cli: CliContext, error: unknown): number {
  if (error instanceof AppError) {
    cli.stderr.write(`plinth: ${error.message} (${error.type})\n`);
  } else if (error instanceof UsageError) {
    cli.stderr.write(`plinth: ${error.message}\nRun "plinth help" for usage.\n`);
  } else {
    cli.stderr.write(`plinth: ${(error as Error)?.stack ?? String(error)}\n`);
  }
  return 1;
}
