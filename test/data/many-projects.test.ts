import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { engineLabel } from '../support/databases.js';
import { jsonOf, TestServer } from '../support/plinth.js';
import { seedProjects, type SeededProject } from '../support/seed-projects.js';

const PROJECTS = 150;
const OPEN_PROJECTS = 32;
/** What one open project file holds: the database, its -wal and its -shm. */
const DESCRIPTORS_PER_STORE = 3;
/** Room for what else the server opens meanwhile: client sockets, database connections, logs. */
const SLACK = 32;

async function openDescriptors(pid: number): Promise<number> {
  return (await readdir(`/proc/${pid}/fd`)).length;
}

/** Runs `work` on every item, `concurrency` at a time. */
async function eachAtMost<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < items.length; index = next++) await work(items[index]!);
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}

describe(`many projects on one server (${engineLabel})`, () => {
  let server: TestServer;
  let projects: SeededProject[] = [];

  before(async () => {
    // A process of its own: the test counts the server's open file descriptors.
    server = await TestServer.start({
      process: true,
      env: { PLINTH_SQLITE_OPEN_PROJECTS: String(OPEN_PROJECTS), PLINTH_RATE_LIMITS: 'off' },
      seed: async (env) => {
        projects = await seedProjects(env, PROJECTS);
      },
    });
  });

  after(() => server.stop());

  it('opens no project store at start, answers for every project, and keeps descriptors under the pool bound', async () => {
    const pid = server.pid!;
    const atStart = await openDescriptors(pid);
    assert.ok(atStart < PROJECTS, `${atStart} descriptors open at start, with ${PROJECTS} projects`);

    await eachAtMost(projects, 8, async (project) => {
      const response = await server.request('/users', {
        method: 'POST',
        project: project.id,
        key: project.key,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'first', name: project.id }),
      });
      assert.equal(response.status, 201, `${project.id}: ${await response.text()}`);
    });
    // Most files were closed in between: each project answers again with what it stored.
    await eachAtMost(projects, 8, async (project) => {
      const list = await jsonOf(server.request('/users', { project: project.id, key: project.key }));
      assert.equal(list.total, 1, `${project.id}: ${JSON.stringify(list)}`);
      assert.equal(list.users[0].name, project.id);
    });

    const afterAll = await openDescriptors(pid);
    const bound = atStart + OPEN_PROJECTS * DESCRIPTORS_PER_STORE + SLACK;
    assert.ok(afterAll <= bound, `${afterAll} descriptors open after touching every project (at most ${bound})`);
  });
});
