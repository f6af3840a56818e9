import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../../src/app/config.js';
import { createLogger } from '../../src/app/logger.js';
import { createServices, type Services } from '../../src/app/services.js';
import type { PlinthEvent } from '../../src/infra/events/event-bus.js';
import { createProject } from '../../src/services/projects/index.js';
import { createTestDatabase } from './databases.js';
import { seedSqliteDataDir } from './store-template.js';

/** Services built as src/app builds them, on a fresh store with one project, recording every event. */
export interface InProcess {
  services: Services;
  events: PlinthEvent[];
  /** The one event published since the last call that answers to `name`; clears the record. */
  published(name: string): PlinthEvent;
  stop(): Promise<void>;
}

/** For tests that call service logic directly, to see what it publishes. */
export async function startInProcess(projectId: string): Promise<InProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'plinth-in-process-'));
  const database = await createTestDatabase({ migrated: true });
  if (!database.url) await seedSqliteDataDir(dataDir);
  const env = { PLINTH_DATA_DIR: dataDir, ...(database.url ? { PLINTH_DB: database.url } : {}) };
  const services = createServices(readConfig(env), createLogger('silent'), { workers: false });
  await services.deps.db.migrate();
  await createProject(services.deps, { id: projectId, name: projectId });
  const events: PlinthEvent[] = [];
  services.deps.events.subscribe((event) => {
    events.push(event);
  });
  return {
    services,
    events,
    published(name) {
      const found = events.filter((event) => event.names.includes(name));
      events.length = 0;
      assert.equal(found.length, 1, `one event named ${name}, got ${JSON.stringify(found.map((event) => event.names[0]))}`);
      return found[0]!;
    },
    async stop() {
      await services.close();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
