import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, ID, Query, Teams } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { plain, signUpUser, type SignedInUser } from '../teams/helpers.js';
import { RealtimeSocket } from './socket.js';

const PROJECT = 'privacy';

/** The session secret a signed-up user's client carries. */
function secretOf(user: SignedInUser): string {
  return (user.client as Client & { config: { session: string } }).config.session;
}

/** Membership events over realtime show each user what reading the membership shows them, never more. */
describe('realtime membership events follow the membership privacy policy', () => {
  let server: TestServer;
  let key: string;
  let serverTeams: Teams;
  let owner: SignedInUser;
  let member: SignedInUser;
  let teamId: string;
  let membershipId: string;
  const open: RealtimeSocket[] = [];

  async function listen(user: SignedInUser, queries: string[] = []): Promise<RealtimeSocket> {
    const { socket } = await RealtimeSocket.connect(server.endpoint, `project=${PROJECT}`, { 'X-Appwrite-Session': secretOf(user) });
    open.push(socket);
    const answer = await socket.subscribe('members', ['memberships'], queries);
    assert.equal(answer.type, 'response', JSON.stringify(answer));
    return socket;
  }

  async function setVisible(visible: Record<string, boolean>): Promise<void> {
    const response = await server.request('/project/policies/membership-privacy', {
      method: 'PATCH',
      project: PROJECT,
      key,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(visible),
    });
    assert.equal(response.status, 200, await response.text());
  }

  /** Changes the member's roles through a server and returns the event each socket gets. */
  async function changeRoles(roles: string[], sockets: RealtimeSocket[]): Promise<any[]> {
    await serverTeams.updateMembership({ teamId, membershipId, roles });
    return Promise.all(sockets.map(async (socket) => (await socket.nextOf('event')).data.payload));
  }

  before(async () => {
    server = await TestServer.start({ env: { PLINTH_REALTIME_MESSAGES_PER_MINUTE: '10000', PLINTH_REALTIME_CONNECTIONS_PER_MINUTE: '10000' } });
    await server.createProject(PROJECT);
    key = await server.createKey(PROJECT);
    serverTeams = new Teams(sdkClient(server, PROJECT, key));
    owner = await signUpUser(server, PROJECT, key, 'Olga');
    member = await signUpUser(server, PROJECT, key, 'Max');
    teamId = (await owner.teams.create({ teamId: ID.unique(), name: 'Private' })).$id;
    membershipId = (await serverTeams.createMembership({ teamId, roles: ['reader'], userId: member.userId })).$id;
  });
  after(async () => {
    for (const socket of open) socket.close();
    await server.stop();
  });

  test('with email, name and MFA hidden, the owner and a plain member receive the membership as REST shows them', async () => {
    await setVisible({ userEmail: false, userName: false, userMFA: false });
    const [toOwner, toMember] = await changeRoles(['reader', 'writer'], [await listen(owner), await listen(member)]);

    const asServer = await serverTeams.getMembership({ teamId, membershipId });
    assert.equal(asServer.userEmail, member.email, 'servers still see everything');
    for (const [who, user, received] of [['owner', owner, toOwner], ['member', member, toMember]] as const) {
      const asUser = plain(await user.teams.getMembership({ teamId, membershipId }));
      assert.equal(asUser.userEmail, '', `${who}: REST hides the email`);
      assert.deepEqual(received, asUser, `${who}: realtime shows what REST shows`);
      assert.equal(received.userName, '');
      assert.deepEqual(received.roles, ['reader', 'writer']);
    }
  });

  test('a subscription query on a hidden field reveals nothing', async () => {
    await setVisible({ userEmail: false });
    const probing = await listen(owner, [Query.equal('userEmail', [member.email])]);
    const control = await listen(owner);
    await changeRoles(['reader'], [control]);
    await probing.assertNothingBefore('a filter on the hidden email');
  });

  test('with nothing hidden, users receive the member details again', async () => {
    await setVisible({ userEmail: true, userName: true, userMFA: true });
    const [toMember] = await changeRoles(['reader', 'editor'], [await listen(member)]);
    assert.equal(toMember.userEmail, member.email);
    assert.equal(toMember.userName, 'Max');
  });
});
