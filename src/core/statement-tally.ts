import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * How many SQL statements the work of one request sent. On PostgreSQL each statement is a
 * network round trip, so this is the number the request waited for the database.
 */
export interface StatementTally {
  statements: number;
}

const tallies = new AsyncLocalStorage<StatementTally>();

/** Runs the rest of a request with its statements counted into `tally`. */
export function runCountingStatements(tally: StatementTally, work: () => void): void {
  tallies.run(tally, work);
}

/** Counts one statement against the request being served, if it is counted. */
export function noteStatement(): void {
  const tally = tallies.getStore();
  if (tally !== undefined) tally.statements += 1;
}

/** Runs work a request only set off (background deliveries), so its statements are not the request's. */
export function outsideStatementTally<T>(work: () => T): T {
  return tallies.exit(work);
}
