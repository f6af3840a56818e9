import { resolve } from 'node:path';

/** Everything the server reads from its environment; the README's table lists each variable. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Unset: SQLite files in the data directory. */
  databaseUrl: string | undefined;
  logLevel: string;
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
  /** Trust X-Forwarded-* headers from a reverse proxy in front. */
  trustProxy: boolean;
  /** Encrypts secrets at rest and signs tokens; generated into the data directory when unset. */
  secret: string | undefined;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: readInteger(env, 'PORT', 8080),
    host: env.PLINTH_HOST || '0.0.0.0',
    dataDir: resolve(env.PLINTH_DATA_DIR || './data'),
    databaseUrl: env.PLINTH_DB || undefined,
    logLevel: env.PLINTH_LOG_LEVEL || 'info',
    bodyLimit: readInteger(env, 'PLINTH_BODY_LIMIT', 16 * 1024 * 1024),
    trustProxy: env.PLINTH_TRUST_PROXY === 'true',
    secret: env.PLINTH_SECRET || undefined,
  };
}

function readInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return value;
}
