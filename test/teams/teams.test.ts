import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ID, Query, Teams } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';
import { plain, signUpUser, type SignedInUser } from './helpers.js';

const PROJECT = 'crew';

describe('teams and memberships', () => {
  let server: TestServer;
  let key: string;
  let admin: Teams;
  let ada: SignedInUser;
  let bob: SignedInUser;
  let eve: SignedInUser;

  before(async () => {
    server = await TestServer.start();
    await server.createProject(PROJECT);
    key = await server.createKey(PROJECT);
    admin = new Teams(sdkClient(server, PROJECT, key));
    ada = await signUpUser(server, PROJECT, key, 'Ada');
    bob = await signUpUser(server, PROJECT, key, 'Bob');
    eve = await signUpUser(server, PROJECT, key, 'Eve');
  });
  after(() => server.stop());

  test('a user who creates a team owns it and is its one member', async () => {
    const team = await ada.teams.create({ teamId: 'ada-team', name: 'Analytical Engines' });
    assert.equal(team.$id, 'ada-team');
    assert.equal(team.name, 'Analytical Engines');
    assert.equal(team.total, 1);
    assert.deepEqual(plain(team.prefs), {});

    const { total, memberships } = await ada.teams.listMemberships({ teamId: 'ada-team' });
    assert.equal(total, 1);
    const [owner] = memberships;
    assert.equal(owner?.userId, ada.userId);
    assert.equal(owner?.userName, 'Ada');
    assert.equal(owner?.userEmail, ada.email);
    assert.equal(owner?.teamName, 'Analytical Engines');
    assert.equal(owner?.confirm, true);
    assert.deepEqual(owner?.roles, ['owner']);
    assert.ok(owner?.joined && owner.invited);
  });

  test('extra roles on creation keep the owner role', async () => {
    await ada.teams.create({ teamId: 'ada-second', name: 'Second', roles: ['admin'] });
    const { memberships } = await ada.teams.listMemberships({ teamId: 'ada-second' });
    assert.deepEqual(memberships[0]?.roles, ['admin', 'owner']);
  });

  test('a server creates an empty team, and ids are unique', async () => {
    const team = await admin.create({ teamId: 'server-team', name: 'Made by a server' });
    assert.equal(team.total, 0);
    assert.equal((await admin.listMemberships({ teamId: 'server-team' })).total, 0);
    await rejectsWith(admin.create({ teamId: 'server-team', name: 'Again' }), 409, 'team_already_exists');
    const generated = await admin.create({ teamId: ID.unique(), name: 'Generated' });
    assert.ok(generated.$id.length > 10);
  });

  test('a user lists only the teams they joined; a server lists all', async () => {
    const mine = await ada.teams.list();
    assert.deepEqual(mine.teams.map((t) => t.$id).sort(), ['ada-second', 'ada-team']);
    assert.equal(mine.total, 2);
    assert.equal((await eve.teams.list()).total, 0);

    const all = await admin.list();
    assert.ok(all.total >= 4);
    const searched = await admin.list({ search: 'analytical' });
    assert.deepEqual(searched.teams.map((t) => t.$id), ['ada-team']);
    const byName = await admin.list({ queries: [Query.equal('name', ['Second']), Query.limit(1)] });
    assert.deepEqual(byName.teams.map((t) => t.$id), ['ada-second']);
    const empty = await admin.list({ queries: [Query.equal('total', [0])], total: false });
    assert.equal(empty.total, 0);
    assert.ok(empty.teams.every((t) => t.total === 0) && empty.teams.length >= 2);
    await rejectsWith(admin.list({ queries: [Query.equal('secret', ['x'])] }), 400, 'general_query_invalid');
  });

  test('a non-member cannot see a team: team_not_found', async () => {
    await rejectsWith(eve.teams.get({ teamId: 'ada-team' }), 404, 'team_not_found');
    await rejectsWith(eve.teams.getPrefs({ teamId: 'ada-team' }), 404, 'team_not_found');
    await rejectsWith(eve.teams.listMemberships({ teamId: 'ada-team' }), 404, 'team_not_found');
    await rejectsWith(eve.teams.updateName({ teamId: 'ada-team', name: 'Mine now' }), 404, 'team_not_found');
    await rejectsWith(eve.teams.delete({ teamId: 'ada-team' }), 404, 'team_not_found');
    await rejectsWith(eve.teams.get({ teamId: 'no-such-team' }), 404, 'team_not_found');
  });

  test('a server adds a member directly: confirmed at once, counted, no invitation', async () => {
    const membership = await admin.createMembership({ teamId: 'ada-team', roles: ['editor'], userId: bob.userId });
    assert.equal(membership.confirm, true);
    assert.equal(membership.userEmail, bob.email);
    assert.deepEqual(membership.roles, ['editor']);
    assert.equal((await admin.get({ teamId: 'ada-team' })).total, 2);
    // Bob holds the team's roles from his very next request.
    assert.equal((await bob.teams.get({ teamId: 'ada-team' })).name, 'Analytical Engines');
    await rejectsWith(admin.createMembership({ teamId: 'ada-team', roles: ['editor'], userId: bob.userId }), 409, 'membership_already_confirmed');
  });

  test('a member who is not an owner may read but not manage: user_unauthorized', async () => {
    const { memberships } = await bob.teams.listMemberships({ teamId: 'ada-team' });
    assert.equal(memberships.length, 2);
    const adaMembership = memberships.find((m) => m.userId === ada.userId)!;
    assert.equal((await bob.teams.getMembership({ teamId: 'ada-team', membershipId: adaMembership.$id })).userName, 'Ada');

    await rejectsWith(bob.teams.updateName({ teamId: 'ada-team', name: 'Bob\'s' }), 401, 'user_unauthorized');
    await rejectsWith(bob.teams.updatePrefs({ teamId: 'ada-team', prefs: { theme: 'dark' } }), 401, 'user_unauthorized');
    await rejectsWith(bob.teams.delete({ teamId: 'ada-team' }), 401, 'user_unauthorized');
    await rejectsWith(
      bob.teams.updateMembership({ teamId: 'ada-team', membershipId: adaMembership.$id, roles: [] }),
      401,
      'user_unauthorized',
      'User is not allowed to modify roles',
    );
    await rejectsWith(bob.teams.deleteMembership({ teamId: 'ada-team', membershipId: adaMembership.$id }), 401, 'user_unauthorized');
    await rejectsWith(
      bob.teams.createMembership({ teamId: 'ada-team', roles: [], email: 'someone@example.com', url: 'http://localhost/join' }),
      401,
      'user_unauthorized',
      'User is not allowed to send invitations for this team',
    );
  });

  test('an owner changes roles, and the member holds them on the next request', async () => {
    const { memberships } = await ada.teams.listMemberships({ teamId: 'ada-team', queries: [Query.equal('userId', [bob.userId])] });
    const bobMembership = memberships[0]!;
    const updated = await ada.teams.updateMembership({ teamId: 'ada-team', membershipId: bobMembership.$id, roles: ['owner', 'editor'] });
    assert.deepEqual(updated.roles, ['owner', 'editor']);
    const renamed = await bob.teams.updateName({ teamId: 'ada-team', name: 'Engines' });
    assert.equal(renamed.name, 'Engines');
    await ada.teams.updateMembership({ teamId: 'ada-team', membershipId: bobMembership.$id, roles: ['editor'] });
    await rejectsWith(bob.teams.updateName({ teamId: 'ada-team', name: 'Bob\'s' }), 401, 'user_unauthorized');
  });

  test('owners keep shared prefs that members read', async () => {
    const prefs = await ada.teams.updatePrefs({ teamId: 'ada-team', prefs: { theme: 'dark', seats: 3 } });
    assert.deepEqual(plain(prefs), { theme: 'dark', seats: 3 });
    assert.deepEqual(plain(await bob.teams.getPrefs({ teamId: 'ada-team' })), { theme: 'dark', seats: 3 });
    assert.deepEqual(plain((await admin.get({ teamId: 'ada-team' })).prefs), { theme: 'dark', seats: 3 });
  });

  test('memberships filter by confirmation, role and search', async () => {
    const owners = await ada.teams.listMemberships({ teamId: 'ada-team', queries: [Query.contains('roles', ['owner'])] });
    assert.deepEqual(owners.memberships.map((m) => m.userId), [ada.userId]);
    // A part of a role is not the role.
    assert.equal((await ada.teams.listMemberships({ teamId: 'ada-team', queries: [Query.contains('roles', ['own'])] })).total, 0);
    const confirmed = await ada.teams.listMemberships({ teamId: 'ada-team', queries: [Query.equal('confirm', [true])] });
    assert.equal(confirmed.total, 2);
    const searched = await ada.teams.listMemberships({ teamId: 'ada-team', search: bob.email });
    assert.deepEqual(searched.memberships.map((m) => m.userId), [bob.userId]);
    const page = await ada.teams.listMemberships({ teamId: 'ada-team', queries: [Query.limit(1), Query.orderDesc('$createdAt')] });
    assert.equal(page.memberships.length, 1);
    assert.equal(page.total, 2);
    await rejectsWith(ada.teams.getMembership({ teamId: 'ada-team', membershipId: 'missing' }), 404, 'membership_not_found');
  });

  test('a member leaves by deleting their own membership, and the count drops', async () => {
    const { memberships } = await bob.teams.listMemberships({ teamId: 'ada-team', queries: [Query.equal('userId', [bob.userId])] });
    await bob.teams.deleteMembership({ teamId: 'ada-team', membershipId: memberships[0]!.$id });
    assert.equal((await admin.get({ teamId: 'ada-team' })).total, 1);
    await rejectsWith(bob.teams.get({ teamId: 'ada-team' }), 404, 'team_not_found');
    assert.equal((await bob.teams.list()).total, 0);
    await rejectsWith(ada.teams.deleteMembership({ teamId: 'ada-team', membershipId: memberships[0]!.$id }), 404, 'team_invite_not_found');
  });

  test("a project's team may lose its only owner: the owner steps down or leaves (organizations keep one)", async () => {
    const team = await eve.teams.create({ teamId: 'eve-team', name: 'Eve' });
    const own = (await eve.teams.listMemberships({ teamId: team.$id })).memberships[0]!;
    assert.deepEqual((await eve.teams.updateMembership({ teamId: team.$id, membershipId: own.$id, roles: ['member'] })).roles, ['member']);
    // No longer an owner, Eve changes no roles, even her own; leaving needs none.
    await rejectsWith(eve.teams.updateMembership({ teamId: team.$id, membershipId: own.$id, roles: ['owner'] }), 401, 'user_unauthorized');
    await eve.teams.deleteMembership({ teamId: team.$id, membershipId: own.$id });
    assert.equal((await admin.get({ teamId: team.$id })).total, 0);
  });

  test('an owner deletes the team with its memberships', async () => {
    await admin.createMembership({ teamId: 'ada-second', roles: [], userId: eve.userId });
    assert.equal((await eve.teams.list()).total, 1);
    await ada.teams.delete({ teamId: 'ada-second' });
    await rejectsWith(admin.get({ teamId: 'ada-second' }), 404, 'team_not_found');
    assert.equal((await eve.teams.list()).total, 0);
    assert.deepEqual((await ada.teams.list()).teams.map((t) => t.$id), ['ada-team']);
    // The id is free again, and the new team starts empty of the old members.
    await admin.create({ teamId: 'ada-second', name: 'Reborn' });
    assert.equal((await admin.listMemberships({ teamId: 'ada-second' })).total, 0);
  });

  test('guests hold no teams scope', async () => {
    const guest = new Teams(sdkClient(server, PROJECT));
    await rejectsWith(guest.list(), 401, 'general_unauthorized_scope');
    await rejectsWith(guest.create({ teamId: 'guest-team', name: 'Guests' }), 401, 'general_unauthorized_scope');
  });
});
