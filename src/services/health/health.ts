import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../core/errors.js';
import type { ServiceDeps } from '../deps.js';

export interface HealthStatus {
  name: string;
  ping: number;
  status: 'pass' | 'fail';
}

export interface HealthStatusList {
  total: number;
  statuses: HealthStatus[];
}

/** Times a probe: `pass` with its duration in milliseconds, or `fail` if it throws. */
async function probe(name: string, check: () => Promise<unknown>): Promise<HealthStatus> {
  const started = performance.now();
  try {
    await check();
    return { name, ping: Math.round(performance.now() - started), status: 'pass' };
  } catch {
    return { name, ping: Math.round(performance.now() - started), status: 'fail' };
  }
}

function listOf(statuses: HealthStatus[]): HealthStatusList {
  return { total: statuses.length, statuses };
}

/** The HTTP server answers: if this runs, it passes. */
export function getHttpHealth(): HealthStatus {
  return { name: 'http', ping: 0, status: 'pass' };
}

export async function getDatabaseHealth(deps: ServiceDeps): Promise<HealthStatusList> {
  const status = await probe(deps.db.dialect.label, () => deps.db.dialect.ping(deps.db.platform));
  if (status.status === 'fail') throw new AppError('general_server_error', 'The database did not answer.');
  return listOf([status]);
}

/** Events and caches live in this process until a shared broker is configured. */
export function getPubSubHealth(): HealthStatusList {
  return listOf([{ name: 'memory', ping: 0, status: 'pass' }]);
}

export function getCacheHealth(): HealthStatusList {
  return listOf([{ name: 'memory', ping: 0, status: 'pass' }]);
}

/** Writes, reads back and removes a probe file where uploads are kept. */
export async function getLocalStorageHealth(deps: ServiceDeps, name: string): Promise<HealthStatus> {
  const dir = join(deps.dataDir, 'health');
  const file = join(dir, `probe-${randomBytes(6).toString('hex')}`);
  const content = randomBytes(16).toString('hex');
  const status = await probe(name, async () => {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(file, content);
    if ((await readFile(file, 'utf8')) !== content) throw new Error('read back a different content');
    await rm(file);
  });
  if (status.status === 'fail') throw new AppError('general_server_error', 'The file storage cannot be written.');
  return status;
}

/**
 * Compares this process's clock with the database's, the clock every node shares.
 * On SQLite both are the same machine's, so the difference only shows a misbehaving clock.
 */
export async function getTimeHealth(deps: ServiceDeps): Promise<{ remoteTime: number; localTime: number; diff: number }> {
  const remote = await deps.db.dialect.clock(deps.db.platform);
  const local = Date.now();
  const remoteTime = Math.floor(remote / 1000);
  const localTime = Math.floor(local / 1000);
  const diff = localTime - remoteTime;
  if (Math.abs(diff) > 60) throw new AppError('general_server_error', `The server clock is off by ${diff} seconds.`);
  return { remoteTime, localTime, diff };
}

export function getAntivirusHealth(): { version: string; status: 'disabled' | 'offline' | 'online' } {
  return { version: '', status: 'disabled' };
}
