import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Account, Teams } from 'node-appwrite';
import { TestMailbox } from '../support/mailbox.js';
import { jsonOf, TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';
import { signUpUser, type SignedInUser } from './helpers.js';

const PROJECT = 'guild';
const JOIN_URL = 'http://localhost:3000/join?from=mail';

interface InvitationLink {
  url: URL;
  membershipId: string;
  userId: string;
  secret: string;
  teamId: string;
}

describe('team invitations by mail', () => {
  let server: TestServer;
  let mailbox: TestMailbox;
  let key: string;
  let admin: Teams;
  let ada: SignedInUser;
  let guest: Teams;

  /** The link of the `index`-th mail the mailbox receives (counting from 1). */
  async function invitationLink(index: number): Promise<InvitationLink> {
    const mail = (await mailbox.waitFor(index))[index - 1]!;
    const href = /http:\/\/localhost:3000\/join\?\S+/.exec(mail.text ?? '')?.[0];
    assert.ok(href, mail.text);
    const url = new URL(href);
    const param = (name: string) => url.searchParams.get(name) ?? '';
    return { url, membershipId: param('membershipId'), userId: param('userId'), secret: param('secret'), teamId: param('teamId') };
  }

  before(async () => {
    mailbox = await TestMailbox.start();
    // Invitations are limited to 10 an hour per IP; this file sends more than that from one.
    server = await TestServer.start({
      env: { PLINTH_SMTP_URL: `smtp://mailer:mail-secret@127.0.0.1:${mailbox.port}`, PLINTH_RATE_LIMITS: 'off' },
    });
    await server.createProject(PROJECT, 'The Guild');
    key = await server.createKey(PROJECT);
    admin = new Teams(sdkClient(server, PROJECT, key));
    guest = new Teams(sdkClient(server, PROJECT));
    ada = await signUpUser(server, PROJECT, key, 'Ada');
    await ada.teams.create({ teamId: 'guild', name: 'Weavers' });
  });
  after(async () => {
    await server.stop();
    await mailbox.stop();
  });

  test('an owner invites someone new by email; the link accepts the invitation', async () => {
    const invited = await ada.teams.createMembership({
      teamId: 'guild',
      roles: ['weaver'],
      email: 'Grace@Example.com',
      url: JOIN_URL,
      name: 'Grace',
    });
    assert.equal(invited.confirm, false);
    assert.equal(invited.joined, '');
    assert.equal(invited.userEmail, 'grace@example.com');
    assert.equal(invited.userName, 'Grace');
    assert.deepEqual(invited.roles, ['weaver']);
    // An open invitation is no member yet.
    assert.equal((await ada.teams.get({ teamId: 'guild' })).total, 1);

    const mail = (await mailbox.waitFor(1))[0]!;
    assert.equal(mail.subject, 'Invitation to Weavers Team at The Guild');
    assert.match(mail.text ?? '', /^Ada invited you to join Weavers at The Guild\n/);
    assert.match(mail.text ?? '', /The Guild/);
    const link = await invitationLink(1);
    assert.equal(link.url.searchParams.get('from'), 'mail', 'the app\'s own query survives');
    assert.equal(link.membershipId, invited.$id);
    assert.equal(link.userId, invited.userId);
    assert.equal(link.teamId, 'guild');
    assert.equal(link.secret.length, 128);

    await rejectsWith(guest.updateMembershipStatus({ ...link, secret: 'not-the-secret' }), 401, 'team_invalid_secret');
    await rejectsWith(guest.updateMembershipStatus({ ...link, userId: ada.userId }), 401, 'team_invite_mismatch');
    await rejectsWith(ada.teams.updateMembershipStatus({ ...link }), 401, 'team_invite_mismatch');

    const accepted = await guest.updateMembershipStatus({ teamId: link.teamId, membershipId: link.membershipId, userId: link.userId, secret: link.secret });
    assert.equal(accepted.confirm, true);
    assert.ok(accepted.joined);
    assert.equal((await ada.teams.get({ teamId: 'guild' })).total, 2);
    await rejectsWith(guest.updateMembershipStatus({ ...link }), 409, 'membership_already_confirmed');
    await rejectsWith(
      ada.teams.createMembership({ teamId: 'guild', roles: [], email: 'grace@example.com', url: JOIN_URL }),
      409,
      'membership_already_confirmed',
    );
  });

  test('accepting without a session signs the invitee in with a verified email', async () => {
    await ada.teams.createMembership({ teamId: 'guild', roles: [], email: 'hopper@example.com', url: JOIN_URL });
    const link = await invitationLink(2);
    const response = await server.request(`/teams/guild/memberships/${link.membershipId}/status`, {
      method: 'PATCH',
      project: PROJECT,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: link.userId, secret: link.secret }),
    });
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { confirm: boolean }).confirm, true);
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`a_session_${PROJECT}=`));
    assert.ok(cookie, 'a session cookie');
    const headers = { cookie: cookie.split(';')[0]! };

    const me = await jsonOf(server.request('/account', { project: PROJECT, headers }));
    assert.equal(me.email, 'hopper@example.com');
    assert.equal(me.emailVerification, true);
    const team = await jsonOf(server.request('/teams/guild', { project: PROJECT, headers }));
    assert.equal(team.total, 3);
  });

  test('a signed-in invitee accepts with their own session', async () => {
    const bob = await signUpUser(server, PROJECT, key, 'Bob');
    await ada.teams.createMembership({ teamId: 'guild', roles: ['apprentice'], userId: bob.userId, url: JOIN_URL });
    const link = await invitationLink(3);
    assert.equal(link.userId, bob.userId);
    await rejectsWith(bob.teams.get({ teamId: 'guild' }), 404, 'team_not_found');
    const accepted = await bob.teams.updateMembershipStatus({ ...link });
    assert.equal(accepted.confirm, true);
    assert.deepEqual(accepted.roles, ['apprentice']);
    assert.equal((await bob.teams.get({ teamId: 'guild' })).name, 'Weavers');
    assert.equal((await new Account(bob.client).get()).emailVerification, true);
  });

  test('inviting again sends a fresh secret; the old one stops working', async () => {
    await ada.teams.createMembership({ teamId: 'guild', roles: [], email: 'lin@example.com', url: JOIN_URL });
    const first = await invitationLink(4);
    const again = await ada.teams.createMembership({ teamId: 'guild', roles: [], email: 'lin@example.com', url: JOIN_URL });
    assert.equal(again.$id, first.membershipId);
    const second = await invitationLink(5);
    assert.notEqual(second.secret, first.secret);
    await rejectsWith(guest.updateMembershipStatus({ ...first }), 401, 'team_invalid_secret');
    assert.equal((await guest.updateMembershipStatus({ ...second })).confirm, true);
  });

  test('a server adds a member by email without mail; a new address becomes a user', async () => {
    const added = await admin.createMembership({ teamId: 'guild', roles: ['guest'], email: 'quiet@example.com', name: 'Quiet' });
    assert.equal(added.confirm, true);
    assert.equal(added.userName, 'Quiet');
    // The next mail the mailbox gets is the one of the invitation below, not one for quiet@.
    await ada.teams.createMembership({ teamId: 'guild', roles: [], email: 'loud@example.com', url: JOIN_URL });
    const next = (await mailbox.waitFor(6))[5]!;
    assert.equal(mailbox.received.length, 6);
    assert.match(next.to && !Array.isArray(next.to) ? next.to.text : '', /loud@example\.com/);
  });

  test('invitation links may only lead to localhost or the project\'s web platforms', async () => {
    await rejectsWith(
      ada.teams.createMembership({ teamId: 'guild', roles: [], email: 'phish@example.com', url: 'https://evil.example.net/steal' }),
      400,
      'general_argument_invalid',
    );
    await rejectsWith(ada.teams.createMembership({ teamId: 'guild', roles: [], email: 'phish@example.com' }), 400, 'general_argument_invalid');
    await rejectsWith(ada.teams.createMembership({ teamId: 'guild', roles: [], url: JOIN_URL }), 400, 'general_argument_invalid');
  });

  test('only owners invite; non-members do not see the team', async () => {
    const eve = await signUpUser(server, PROJECT, key, 'Eve');
    await rejectsWith(eve.teams.createMembership({ teamId: 'guild', roles: [], email: 'x@example.com', url: JOIN_URL }), 404, 'team_not_found');
    await rejectsWith(guest.updateMembershipStatus({ teamId: 'guild', membershipId: 'nope', userId: eve.userId, secret: 'x' }), 404, 'membership_not_found');
  });

  test('an invitee declines by deleting their own open invitation', async () => {
    const carol = await signUpUser(server, PROJECT, key, 'Carol');
    const invited = await ada.teams.createMembership({ teamId: 'guild', roles: [], userId: carol.userId, url: JOIN_URL });
    const total = (await ada.teams.get({ teamId: 'guild' })).total;
    await carol.teams.deleteMembership({ teamId: 'guild', membershipId: invited.$id });
    assert.equal((await ada.teams.get({ teamId: 'guild' })).total, total, 'an open invitation was never counted');
    await rejectsWith(ada.teams.getMembership({ teamId: 'guild', membershipId: invited.$id }), 404, 'membership_not_found');
  });
});
