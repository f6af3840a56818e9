import type { LoadSettings } from '../load.js';

export const SYSTEM_KEYS = ['plinth-sqlite', 'plinth-postgres', 'parse', 'directus'] as const;
export type SystemKey = (typeof SYSTEM_KEYS)[number];

export interface PeersSettings {
  load: LoadSettings;
  systems: SystemKey[];
  adminPgUrl: string;
}

function wholeSeconds(name: string, raw: string | undefined, fallback: number, min: number): number {
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min || value > 600) throw new Error(`${name} must be whole seconds from ${min} to 600, got "${raw}"`);
  return value;
}

/**
 * PEERS_DURATION: measured seconds per scenario (10; 2 for a quick look). PEERS_WARMUP: seconds before
 * each (2). PEERS_SYSTEMS: a comma list to run fewer systems. PEERS_PG: the PostgreSQL server.
 */
export function readSettings(env: NodeJS.ProcessEnv): PeersSettings {
  const durationSeconds = wholeSeconds('PEERS_DURATION', env.PEERS_DURATION, 10, 1);
  const warmupSeconds = wholeSeconds('PEERS_WARMUP', env.PEERS_WARMUP, durationSeconds >= 10 ? 2 : 1, 1);
  const systems = (env.PEERS_SYSTEMS ?? SYSTEM_KEYS.join(',')).split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = systems.filter((name) => !(SYSTEM_KEYS as readonly string[]).includes(name));
  if (unknown.length > 0 || systems.length === 0) throw new Error(`PEERS_SYSTEMS takes a comma list of ${SYSTEM_KEYS.join(', ')}; got "${env.PEERS_SYSTEMS}"`);
  return {
    load: { connections: 50, pipelining: 1, warmupSeconds, durationSeconds },
    systems: systems as SystemKey[],
    adminPgUrl: env.PEERS_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  };
}
