import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { readConfig } from '../../src/app/config.js';
import { createLogger } from '../../src/app/logger.js';
import { createServices } from '../../src/app/services.js';

const SCHEMA_SOURCES = ['migrations', 'dialects'].map((dir) => resolve(import.meta.dirname, '../../src/data', dir));

/** Names the platform schema the sources describe, so a changed migration never meets an old template. */
function schemaFingerprint(): string {
  const hash = createHash('sha256');
  for (const dir of SCHEMA_SOURCES) {
    for (const name of readdirSync(dir).sort()) hash.update(name).update(readFileSync(join(dir, name)));
  }
  return hash.digest('hex').slice(0, 12);
}

/** Brings a fresh store to the current schema, as a server's first start would. */
async function migrateStore(dataDir: string, databaseUrl?: string): Promise<void> {
  const services = createServices(readConfig({ PLINTH_DATA_DIR: dataDir, ...(databaseUrl ? { PLINTH_DB: databaseUrl } : {}) }), createLogger('silent'), { workers: false });
  try {
    await services.deps.db.migrate();
  } finally {
    await services.close();
  }
}

/**
 * Puts a platform file already at the current schema into a new data directory: migrating
 * takes longer than copying, and every test file starts at least one server. The template is
 * built once per schema and shared by every test process.
 */
export async function seedSqliteDataDir(dataDir: string): Promise<void> {
  const template = join(tmpdir(), `plinth-test-template-${schemaFingerprint()}`);
  if (!existsSync(template)) {
    const building = await mkdtemp(`${template}-building-`);
    await migrateStore(building);
    // Another test process may have finished first; either copy is as good.
    await rename(building, template).catch(() => rm(building, { recursive: true, force: true }));
  }
  await copyFile(join(template, 'plinth.sqlite'), join(dataDir, 'plinth.sqlite'));
}

/**
 * The name of a PostgreSQL database already at the current platform schema, to create test
 * databases from (`CREATE DATABASE … TEMPLATE`). Built once per schema under an advisory lock,
 * so test processes starting together build it once.
 */
export async function templateDatabase(adminUrl: string): Promise<string> {
  const name = `plinth_test_template_${schemaFingerprint()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query('select pg_advisory_lock(hashtext($1))', [name]);
    const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) {
      // Built under another name and renamed when complete: a run stopped halfway leaves no template behind.
      const building = `${name}_building`;
      await admin.query(`drop database if exists "${building}" with (force)`);
      await admin.query(`create database "${building}"`);
      const url = new URL(adminUrl);
      url.pathname = `/${building}`;
      const scratch = await mkdtemp(join(tmpdir(), 'plinth-test-template-'));
      await migrateStore(scratch, url.toString()).finally(() => rm(scratch, { recursive: true, force: true }));
      await admin.query(`alter database "${building}" rename to "${name}"`);
    }
    return name;
  } finally {
    await admin.query('select pg_advisory_unlock(hashtext($1))', [name]).catch(() => {});
    await admin.end();
  }
}
