import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Services } from '../../src/app/services.js';
import type { PlinthEvent } from '../../src/infra/events/event-bus.js';
import { issueSession } from '../../src/services/users/index.js';
import { createSessionFromToken } from '../../src/services/account/token-session.js';
import { AppError } from '../../src/core/errors.js';
import { endSession } from '../../src/services/account/session-management.js';
import { issueToken, TOKEN_SECONDS } from '../../src/services/account/tokens.js';
import { sendEmailVerification } from '../../src/services/account/verification.js';
import { createUser, saveUserChanges } from '../../src/services/users/user-records.js';
import { startInProcess, type InProcess } from '../support/in-process.js';

const PROJECT = 'account-events';
const SOURCE = { ip: '127.0.0.1', userAgent: 'test', mode: 'default' as const };

/** The account logic called in-process, to see the events each change publishes. */
describe('account and user events', () => {
  let world: InProcess;
  let services: Services;
  let events: PlinthEvent[];
  const published = (name: string) => world.published(name);

  before(async () => {
    world = await startInProcess(PROJECT);
    services = world.services;
    events = world.events;
  });
  after(() => world.stop());

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
