import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Cleanup } from './cleanup.js';

/** Hides the password of a postgres:// URL for logs. */
export function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Refreshes the planner's statistics of the bench database, as autovacuum would within a
 * minute of the seeding; right after a bulk load PostgreSQL still plans for an empty table.
 */
export async function analyzeBenchDatabase(databaseUrl: string): Promise<void> {
  await adminQuery(databaseUrl, 'analyze');
}

/**
 * A fresh database on the server of `adminUrl` (PLINTH_BENCH_PG), dropped by `cleanup`;
 * returns its URL for PLINTH_DB. Defer it before starting the server, so the drop runs after the stop.
 */
export async function createBenchDatabase(adminUrl: string, cleanup: Cleanup): Promise<string> {
  const name = `plinth_bench_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `create database "${name}"`);
  cleanup.defer(() => adminQuery(adminUrl, `drop database if exists "${name}" with (force)`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
