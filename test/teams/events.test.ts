import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Services } from '../../src/app/services.js';
import { writeProjectSetting } from '../../src/data/platform/settings.js';
import { sha256 } from '../../src/core/secrets.js';
import type { UserRow } from '../../src/data/tables.js';
import { acceptInvitation, inviteMember } from '../../src/services/teams/invitations.js';
import { deleteMembership, listMemberships, updateMembership } from '../../src/services/teams/memberships.js';
import { POLICY_SETTINGS } from '../../src/core/policy-settings.js';
import { createTeam, deleteTeam, updateTeamPrefs } from '../../src/services/teams/teams.js';
import { createUser } from '../../src/services/users/user-records.js';
import { startInProcess, type InProcess } from '../support/in-process.js';
import { guestCaller, serverCaller, userCaller } from '../../src/core/caller.js';

const PROJECT = 'signals';
const SOURCE = { ip: '127.0.0.1', userAgent: 'test', mode: 'default' as const };

/** The team logic called in-process, to see the events it publishes and the privacy policy at work. */
describe('team events and membership privacy', () => {
  let world: InProcess;
  let services: Services;
  const key = serverCaller();
  let ada: UserRow;
  let bob: UserRow;

  const owner = (teamId: string) => userCaller(ada, ['any', 'users', `team:${teamId}`, `team:${teamId}/owner`]);
  const published = (name: string) => world.published(name);

  before(async () => {
    world = await startInProcess(PROJECT);
    services = world.services;
    ada = await createUser(services.deps, PROJECT, { userId: 'ada', email: 'ada@example.com', name: 'Ada' }, 'generic');
    bob = await createUser(services.deps, PROJECT, { userId: 'bob', email: 'bob@example.com', name: 'Bob' }, 'generic');
    world.events.length = 0;
  });
  after(() => world.stop());

  test('team changes are published to the team\'s members', async () => {
    const deps = services.deps;
    await createTeam(deps, PROJECT, userCaller(ada, ['any', 'users']), { teamId: 't1', name: 'One' });
    const created = published('teams.t1.create');
    assert.deepEqual(created.readableBy, ['team:t1']);
    assert.ok(created.names.includes('teams.*.create'));
    assert.equal((created.payload as { total: number }).total, 1);

    await updateTeamPrefs(deps, PROJECT, owner('t1'), 't1', { colour: 'teal' });
    assert.deepEqual((published('teams.t1.update.prefs').payload as { prefs: unknown }).prefs, { colour: 'teal' });
  });

  test('membership changes are published to the team and to the member', async () => {
    const deps = services.deps;
    const invited = await inviteMember(deps, PROJECT, owner('t1'), 't1', { userId: bob.id, roles: ['reader'], url: 'http://localhost/join' });
    const create = published('teams.t1.memberships.*.create');
    assert.ok(create.names.includes(`teams.t1.memberships.${invited.$id}.create`));
    assert.deepEqual(create.readableBy, ['team:t1', 'user:bob']);

    await deleteMembership(deps, PROJECT, owner('t1'), 't1', invited.$id);
    assert.deepEqual(published(`teams.t1.memberships.${invited.$id}.delete`).readableBy, ['team:t1', 'user:bob']);

    const added = await inviteMember(deps, PROJECT, key, 't1', { userId: bob.id, roles: ['reader'] });
    published('teams.t1.memberships.*.create');
    await updateMembership(deps, PROJECT, owner('t1'), 't1', added.$id, ['reader', 'writer']);
    const update = published(`teams.t1.memberships.${added.$id}.update`);
    assert.deepEqual((update.payload as { roles: string[] }).roles, ['reader', 'writer']);

    await deleteTeam(deps, PROJECT, owner('t1'), 't1');
    assert.deepEqual(published('teams.t1.delete').readableBy, ['team:t1']);
  });

  test('accepting an invitation publishes update.status, a wrong secret nothing', async () => {
    const deps = services.deps;
    await createTeam(deps, PROJECT, key, { teamId: 't2', name: 'Two' });
    const invited = await inviteMember(deps, PROJECT, owner('t2'), 't2', { userId: bob.id, roles: [], url: 'http://localhost/join' });
    // The secret only travels in the mail: give the invitation one the test knows.
    await deps.db.project(PROJECT).updateTable('memberships').set({ secret_hash: sha256('known secret') }).where('id', '=', invited.$id).execute();
    world.events.length = 0;
    const guest = guestCaller('');
    const input = { teamId: 't2', membershipId: invited.$id, userId: bob.id, source: SOURCE };
    await assert.rejects(acceptInvitation(deps, PROJECT, guest, { ...input, secret: 'wrong' }), { type: 'team_invalid_secret' });
    assert.equal(world.events.length, 0);

    const accepted = await acceptInvitation(deps, PROJECT, guest, { ...input, secret: 'known secret' });
    assert.ok(accepted.session, 'a guest who accepts gets a session');
    const status = world.events.find((event) => event.names.includes(`teams.t2.memberships.${invited.$id}.update.status`));
    assert.ok(status);
    assert.deepEqual(status.readableBy, ['team:t2', 'user:bob']);
    assert.equal((status.payload as { confirm: boolean }).confirm, true);
    world.events.length = 0;
  });

  test('a project may hide member details from users, never from servers', async () => {
    const deps = services.deps;
    await createTeam(deps, PROJECT, userCaller(ada, ['any', 'users']), { teamId: 't3', name: 'Three' });
    await writeProjectSetting(deps.db.platform, PROJECT, POLICY_SETTINGS.membershipUserEmail, false);
    await writeProjectSetting(deps.db.platform, PROJECT, POLICY_SETTINGS.membershipMfa, false);
    const query = { queries: [], search: '', total: true };
    const [asUser] = (await listMemberships(deps, PROJECT, owner('t3'), 't3', query)).memberships;
    assert.equal(asUser?.userName, 'Ada');
    assert.equal(asUser?.userEmail, '');
    assert.equal(asUser?.mfa, false);
    const [asServer] = (await listMemberships(deps, PROJECT, key, 't3', query)).memberships;
    assert.equal(asServer?.userEmail, 'ada@example.com');

    // Events carry both: all of it for servers, and what users read for every user.
    await inviteMember(deps, PROJECT, key, 't3', { userId: bob.id, roles: ['reader'] });
    const event = published('teams.t3.memberships.*.create');
    assert.equal((event.payload as { userEmail: string }).userEmail, 'bob@example.com');
    assert.deepEqual(event.views?.map((view) => view.roles), [['any']]);
    assert.deepEqual(event.views?.[0]?.payload, { ...(event.payload as object), userEmail: '', userPhone: '', mfa: false });
  });
});
