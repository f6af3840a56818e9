import { Cron } from 'croner';

/** Whether `expression` is a cron expression the schedulers can run. */
export function isCronExpression(expression: string): boolean {
  try {
    new Cron(expression, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}

/** When the cron expression next fires, in UTC; null when it never will again. */
export function nextCronRun(expression: string): Date | null {
  return new Cron(expression, { paused: true, timezone: 'UTC' }).nextRun();
}
