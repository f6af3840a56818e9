import type { Server } from './child.js';
import type { Cleanup } from '../cleanup.js';
import type { Peers } from './install.js';

export type ScenarioId = 'create' | 'get' | 'list10k' | 'list10kNoTotal' | 'list100k' | 'list100kNoTotal' | 'signIn' | 'userRead';

export interface Scenario {
  id: ScenarioId;
  label: string;
  /** Sign-in is bound by password hashing by design, so it runs with fewer connections. */
  connections?: number;
}

/** In the order of the report. */
export const SCENARIOS: Scenario[] = [
  { id: 'create', label: '1. create one record' },
  { id: 'get', label: '2. get one record by id' },
  { id: 'list10k', label: '3. list 20 of 10,000 on an indexed integer, with total' },
  { id: 'list10kNoTotal', label: '3. the same, no total' },
  { id: 'list100k', label: '4. list 20 of 100,000 on an indexed integer, with total' },
  { id: 'list100kNoTotal', label: '4. the same, no total' },
  { id: 'signIn', label: '5. password sign-in', connections: 10 },
  { id: 'userRead', label: '6. list 20 as a signed-in user, rows limited by permission' },
];

/**
 * Run order: creates last, so that the rows they add cannot change what the reads see; the signed-in
 * read before the sign-in load, whose thousands of new sessions may retire the user's first one
 * (Plinth keeps the newest sessions per user, as Appwrite does).
 */
export const RUN_ORDER: ScenarioId[] = ['get', 'list10k', 'list10kNoTotal', 'list100k', 'list100kNoTotal', 'userRead', 'signIn', 'create'];

export interface LoadTarget {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** Checks one answer before the load, so a wrong route fails loudly rather than as a column of non-2xx. */
  check(status: number, body: string): void;
  /** Why this number does not measure the same work as the others' (marked † in the table). */
  caveat?: string;
}

export interface Prepared {
  /** The process whose tree is measured for memory. */
  server: Server;
  /** A missing scenario is one the system cannot express (shown as n/a). */
  targets: Partial<Record<ScenarioId, LoadTarget>>;
  /** How the collections and user were created and filled, e.g. "bulk API, 100 a request: 12.3 s". */
  seeding: string[];
  /** Settings that differ from the system's defaults, and why. */
  notes: string[];
}

export interface SystemContext {
  root: string;
  peersDir: string;
  /** postgres://… of a server where the bench may create and drop databases. */
  adminPgUrl: string;
  /** The peers' installs (see install.ts). */
  peers: Peers;
  cleanup: Cleanup;
  log(message: string): void;
}

export interface System {
  name: string;
  version: string;
  /** How it runs: database, process, credentials. */
  setup: string;
  /** Starts the server, creates the schema, seeds it and signs the user up; the cleanup stops it. */
  prepare(context: SystemContext): Promise<Prepared>;
}

export function parseBody<T>(body: string): T {
  return JSON.parse(body) as T;
}

export function expectStatus(status: number, wanted: number, body: string): void {
  if (status !== wanted) throw new Error(`answered ${status}, expected ${wanted}: ${body.slice(0, 500)}`);
}

export function expectEqual(what: string, actual: unknown, wanted: unknown): void {
  if (actual !== wanted) throw new Error(`${what} is ${JSON.stringify(actual)}, expected ${JSON.stringify(wanted)}`);
}
