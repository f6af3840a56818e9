import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readConfig } from '../../src/app/config.js';
import { createLogger } from '../../src/app/logger.js';
import { createServices, type Services } from '../../src/app/services.js';
import type { PlinthEvent } from '../../src/infra/events/event-bus.js';
import { issueSession } from '../../src/services/account/index.js';
import { createSessionFromToken } from '../../src/services/account/token-session.js';
import { AppError } from '../../src/core/errors.js';
import { endSession } from '../../src/services/account/session-management.js';
import { issueToken, TOKEN_SECONDS } from '../../src/services/account/tokens.js';
import { sendEmailVerification } from '../../src/services/account/verification.js';
import { createProject } from '../../src/services/projects/index.js';
import { createUser, saveUserChanges } from '../../src/services/users/user-records.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

const PROJECT = 'account-events';
const SOURCE = { ip: '127.0.0.1', userAgent: 'test', mode: 'default' as const };

/** The account logic called in-process, to see the events each change publishes. */
describe('account and user events', () => {
  let dataDir: string;
  let database: TestDatabase;
  let services: Services;
  const events: PlinthEvent[] = [];

  /** The one event published since the last call with this name. */
  function published(name: string): PlinthEvent {
    const found = events.filter((event) => event.names.includes(name));
    events.length = 0;
    assert.equal(found.length, 1, `one event named ${name}, got ${JSON.stringify(found.map((event) => event.names[0]))}`);
    return found[0]!;
  }

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'plinth-account-events-'));
    database = await createTestDatabase();
    const env = { PLINTH_DATA_DIR: dataDir, ...(database.url ? { PLINTH_DB: database.url } : {}) };
    services = createServices(readConfig(env), createLogger('silent'), { workers: false });
    await services.deps.db.migrate();
    await createProject(services.deps, { id: PROJECT, name: 'Events' });
    services.deps.events.subscribe((event) => {
      events.push(event);
    });
  });
  after(async () => {
    await services.close();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('sign-up, sessions, profile changes and tokens each publish their event, readable by the user only', async () => {
    const { deps } = services;
    const user = await createUser(deps, PROJECT, { userId: 'ada', email: 'ada@example.com', password: 'a long password' }, 'generic');
    const created = published('users.ada.create');
    assert.deepEqual(created.readableBy, ['user:ada']);
    assert.ok(created.names.includes('users.*.create') && created.names.includes('users.*'));
    assert.equal((created.payload as { email: string }).email, 'ada@example.com');
    assert.equal((created.payload as { password?: string }).password, undefined, 'no hash in a payload');

    const issued = await issueSession(deps, PROJECT, user, SOURCE, { provider: 'email', factors: ['password'] });
    const session = published(`users.ada.sessions.${issued.row.id}.create`);
    assert.ok(session.names.includes('users.*.sessions.*.create'));
    assert.equal((session.payload as { secret: string }).secret, '', 'no secret in a payload');

    const renamed = await saveUserChanges(deps, PROJECT, user, { prefs: '{"theme":"dark"}' }, { attribute: 'prefs', conflicts: 'generic' });
    assert.ok(published('users.ada.update.prefs').names.includes('users.*.update'));

    const token = await issueToken(deps, PROJECT, renamed, 'magic-url', { seconds: TOKEN_SECONDS.link, source: SOURCE });
    published(`users.ada.tokens.${token.row.id}.create`);

    await sendEmailVerification(deps, { projectId: PROJECT, source: SOURCE, locale: undefined }, renamed, 'http://localhost/verified');
    assert.ok(events.some((event) => event.names.includes('users.*.verification.*.create')));
    events.length = 0;

    await endSession(deps, PROJECT, renamed, issued.row, SOURCE);
    published(`users.ada.sessions.${issued.row.id}.delete`);
  });

  test('an expired token is refused like a wrong one, and is gone afterwards', async () => {
    const { deps } = services;
    const user = await createUser(deps, PROJECT, { userId: 'late', email: 'late@example.com' }, 'generic');
    const expired = await issueToken(deps, PROJECT, user, 'email', { seconds: -1, code: true, source: SOURCE });
    const attempt = createSessionFromToken(deps, PROJECT, { userId: 'late', secret: expired.secret }, SOURCE);
    await assert.rejects(attempt, (error: AppError) => error.type === 'user_invalid_token');
  });
});
