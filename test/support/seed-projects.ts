import { readConfig } from '../../src/app/config.js';
import { createLogger } from '../../src/app/logger.js';
import { createServices } from '../../src/app/services.js';
import { createKey, createProject } from '../../src/services/projects/index.js';

const SEED_BATCH = 8;

export interface SeededProject {
  id: string;
  /** A key of the project with the users scopes. */
  key: string;
}

/**
 * Creates `count` projects with a key each, through the services in this process (no
 * server, no CLI): the store a server is then started on. `env` is the server's.
 */
export async function seedProjects(env: NodeJS.ProcessEnv, count: number, prefix = 'many'): Promise<SeededProject[]> {
  const services = createServices(readConfig(env), createLogger('silent'), { workers: false });
  try {
    await services.deps.db.migrate();
    const seedOne = async (id: string): Promise<SeededProject> => {
      await createProject(services.deps, { id, name: id });
      const key = await createKey(services.deps, { projectId: id, name: 'seed', scopes: ['users.read', 'users.write'] });
      return { id, key: key.secret };
    };
    const seeded: SeededProject[] = [];
    // A few at a time: PostgreSQL migrates schemas side by side; SQLite takes them in turn anyway.
    for (let first = 0; first < count; first += SEED_BATCH) {
      const ids = Array.from({ length: Math.min(SEED_BATCH, count - first) }, (_, i) => `${prefix}-${first + i}`);
      seeded.push(...(await Promise.all(ids.map(seedOne))));
    }
    return seeded;
  } finally {
    await services.close();
  }
}
