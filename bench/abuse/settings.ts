// What `npm run bench:abuse` reads from its environment. Server settings (PLINTH_*) are not set
// here: the server runs on its defaults, and any PLINTH_* variable of the bench's environment
// reaches it unchanged, so a new limit can be tried without editing the bench.

export interface AbuseSettings {
  /** A postgres:// URL with rights to create databases (BENCH_ABUSE_DB); unset: SQLite. */
  adminDatabaseUrl: string | undefined;
  /** The longest an attempt may run before it is cut off and reported as "> N s" (BENCH_ABUSE_SECONDS). */
  boundSeconds: number;
  /** How long the slow clients drip, one byte a second each (BENCH_ABUSE_SLOW_SECONDS); past the server's default 30 s head limit. */
  slowSeconds: number;
  /** The server's open-file limit, set on its pid after start (BENCH_ABUSE_NOFILE); 0 leaves the inherited one. */
  openFiles: number;
  /** PLINTH_* variables of the bench's environment, passed to the server; values of secrets hidden. */
  passedThrough: string[];
}

function readWhole(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return value;
}

/** Names whose values may hold credentials: listed as set, never printed. */
const SECRET_NAMES = /DB|URL|SECRET|TOKEN|ACCOUNT|REDIS|FILES|CLAMAV/;

function passedThrough(env: NodeJS.ProcessEnv): string[] {
  return Object.keys(env)
    .filter((name) => name.startsWith('PLINTH_') && name !== 'PLINTH_DB' && !name.startsWith('PLINTH_TEST_') && !name.startsWith('PLINTH_BENCH_'))
    .sort()
    .map((name) => (SECRET_NAMES.test(name) ? `${name} (set)` : `${name}=${env[name]}`));
}

export function readAbuseSettings(env: NodeJS.ProcessEnv): AbuseSettings {
  return {
    adminDatabaseUrl: env.BENCH_ABUSE_DB || undefined,
    boundSeconds: readWhole(env, 'BENCH_ABUSE_SECONDS', 10, 2, 120),
    slowSeconds: readWhole(env, 'BENCH_ABUSE_SLOW_SECONDS', 40, 2, 600),
    openFiles: readWhole(env, 'BENCH_ABUSE_NOFILE', 1024, 0, 1_048_576),
    passedThrough: passedThrough(env),
  };
}
