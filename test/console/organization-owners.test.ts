import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Query, Teams } from '@appwrite.io/console';
import { TestMailbox } from '../support/mailbox.js';
import { TestServer } from '../support/plinth.js';
import { rejectsWith } from '../support/sdk.js';
import { acceptInvitation, consoleClient, consoleCookie, INVITE_URL } from './helpers.js';

const LAST_OWNER = 'There must be at least one owner in the organization.';

describe('organization owners: an organization keeps one', () => {
  let server: TestServer;
  let mailbox: TestMailbox;
  let olive: Teams;
  let ana: Teams;

  const membershipOf = async (teams: Teams, userEmail: string) => {
    const { memberships } = await teams.listMemberships({ teamId: 'acme', search: userEmail });
    assert.equal(memberships.length, 1);
    return memberships[0]!;
  };

  before(async () => {
    mailbox = await TestMailbox.start();
    server = await TestServer.start({ env: { PLINTH_SMTP_URL: `smtp://mailer:mail-secret@127.0.0.1:${mailbox.port}`, PLINTH_RATE_LIMITS: 'off' } });
    const created = await server.cli(['admin', 'create', '--email', 'olive@example.com', '--password', 'olive password', '--name', 'Olive', '--json']);
    assert.equal(created.code, 0, created.stderr);
    olive = new Teams(consoleClient(server, await consoleCookie(server, 'olive@example.com', 'olive password')));
    await olive.create({ teamId: 'acme', name: 'Acme' });
    await olive.createMembership({ teamId: 'acme', roles: ['developer'], email: 'ana@example.com', url: INVITE_URL });
    ana = new Teams(consoleClient(server, await acceptInvitation(server, mailbox, 1)));
  });
  after(async () => {
    await server.stop();
    await mailbox.stop();
  });

  test('the only owner may neither leave nor give up the role, and may change their other roles', async () => {
    const own = await membershipOf(olive, 'olive@example.com');
    await rejectsWith(olive.deleteMembership({ teamId: 'acme', membershipId: own.$id }), 400, 'membership_deletion_prohibited', LAST_OWNER);
    await rejectsWith(olive.updateMembership({ teamId: 'acme', membershipId: own.$id, roles: ['developer'] }), 400, 'membership_downgrade_prohibited', LAST_OWNER);
    assert.deepEqual((await olive.updateMembership({ teamId: 'acme', membershipId: own.$id, roles: ['owner', 'billing'] })).roles, ['owner', 'billing']);
    assert.deepEqual((await olive.getMembership({ teamId: 'acme', membershipId: own.$id })).roles, ['owner', 'billing']);
  });

  test('members who are not owners change no roles and remove no one else', async () => {
    const owners = await ana.listMemberships({ teamId: 'acme', queries: [Query.contains('roles', ['owner'])] });
    const olives = owners.memberships[0]!;
    const own = await membershipOf(ana, 'ana@example.com');
    await rejectsWith(ana.updateMembership({ teamId: 'acme', membershipId: own.$id, roles: ['owner'] }), 401, 'user_unauthorized', 'User is not allowed to modify roles');
    await rejectsWith(ana.updateMembership({ teamId: 'acme', membershipId: olives.$id, roles: [] }), 401, 'user_unauthorized', 'User is not allowed to modify roles');
    await rejectsWith(ana.deleteMembership({ teamId: 'acme', membershipId: olives.$id }), 401, 'user_unauthorized');
    await rejectsWith(
      ana.createMembership({ teamId: 'acme', roles: ['owner'], email: 'mallory@example.com', url: INVITE_URL }),
      401,
      'user_unauthorized',
      'User is not allowed to send invitations for this team',
    );
  });

  test('with a second owner, an owner steps down and then leaves; the one left stays', async () => {
    const anas = await membershipOf(olive, 'ana@example.com');
    await olive.updateMembership({ teamId: 'acme', membershipId: anas.$id, roles: ['owner'] });
    const olives = await membershipOf(olive, 'olive@example.com');
    assert.deepEqual((await olive.updateMembership({ teamId: 'acme', membershipId: olives.$id, roles: ['developer'] })).roles, ['developer']);
    await olive.deleteMembership({ teamId: 'acme', membershipId: olives.$id });
    assert.equal((await ana.listMemberships({ teamId: 'acme' })).total, 1);
    await rejectsWith(ana.deleteMembership({ teamId: 'acme', membershipId: anas.$id }), 400, 'membership_deletion_prohibited', LAST_OWNER);
  });
});
