import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Account, Client, Functions, ID } from 'node-appwrite';
import { TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';
import { RealtimeSocket, type RealtimeMessage } from '../realtime/socket.js';
import { NODE_ECHO } from './fixtures.js';
import { deployFunction } from './deploy.js';

const PROJECT = 'fnlive';

interface Member {
  userId: string;
  functions: Functions;
  socket: RealtimeSocket;
}

/** The events of one execution, in order, until the one that finished it. */
async function eventsUntilFinished(socket: RealtimeSocket, executionId: string): Promise<RealtimeMessage[]> {
  const seen: RealtimeMessage[] = [];
  for (;;) {
    const message = await socket.nextOf('event');
    assert.equal(message.data.payload.$id, executionId, `only this execution's events arrive (got ${JSON.stringify(message.data.events)})`);
    seen.push(message);
    if (message.data.payload.status === 'completed' || message.data.payload.status === 'failed') return seen;
  }
}

describe('execution events over realtime', () => {
  let server: TestServer;
  let key: string;
  let functionId: string;
  const sockets: RealtimeSocket[] = [];

  /** A user with a session, subscribed to `executions` and the function's channel. */
  async function member(name: string): Promise<Member> {
    const email = `${name}-${ID.unique()}@example.com`;
    const created = await new Account(sdkClient(server, PROJECT)).create({ userId: ID.unique(), email, password: 'correct horse', name });
    const session = await new Account(sdkClient(server, PROJECT, key)).createEmailPasswordSession({ email, password: 'correct horse' });
    const channels = `channels[]=executions&channels[]=${encodeURIComponent(`functions.${functionId}`)}`;
    const { socket, connected } = await RealtimeSocket.connect(server.endpoint, `project=${PROJECT}&${channels}`, { 'X-Appwrite-Session': session.secret });
    sockets.push(socket);
    assert.equal(connected.data.user.$id, created.$id);
    const client = new Client().setEndpoint(server.endpoint).setProject(PROJECT).setSession(session.secret);
    return { userId: created.$id, functions: new Functions(client), socket };
  }

  before(async () => {
    server = await TestServer.start();
    await server.createProject(PROJECT);
    key = await server.createKey(PROJECT);
    const deployed = await deployFunction(new Functions(sdkClient(server, PROJECT, key)), { runtime: 'node-20.0', files: NODE_ECHO, entrypoint: 'index.js', execute: ['users'] });
    assert.equal(deployed.deployment.status, 'ready', deployed.deployment.buildLogs);
    functionId = deployed.functionId;
  });
  after(async () => {
    for (const socket of sockets) socket.close();
    await server?.stop();
  });

  test('a user receives the events of their own async execution, and not those of another user', async () => {
    const alice = await member('alice');
    const bob = await member('bob');

    const mine = await alice.functions.createExecution({ functionId, async: true, xpath: '/' });
    assert.equal(mine.status, 'waiting');
    const aliceEvents = await eventsUntilFinished(alice.socket, mine.$id);
    const created = aliceEvents[0]!;
    assert.ok(created.data.events.includes(`functions.${functionId}.executions.${mine.$id}.create`), JSON.stringify(created.data.events));
    assert.ok(created.data.channels.includes('executions'));
    assert.ok(created.data.channels.includes(`executions.${mine.$id}`));
    assert.ok(created.data.channels.includes(`functions.${functionId}`));
    const finished = aliceEvents.at(-1)!;
    assert.equal(finished.data.payload.status, 'completed', finished.data.payload.errors);
    assert.ok(finished.data.events.includes(`functions.${functionId}.executions.${mine.$id}.update`));
    assert.equal(finished.data.payload.responseStatusCode, 200);

    // Bob's first event is his own execution: none of Alice's came to him before it.
    const his = await bob.functions.createExecution({ functionId, async: true, xpath: '/' });
    const bobEvents = await eventsUntilFinished(bob.socket, his.$id);
    assert.equal(bobEvents.at(-1)!.data.payload.status, 'completed');
    await bob.socket.assertNothingBefore('bob after his execution');
    // And none of Bob's reached Alice.
    await alice.socket.assertNothingBefore('alice after bob\'s execution');
  });
});
