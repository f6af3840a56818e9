import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { ProjectKeyScopes as Scopes, type Project } from 'node-appwrite';
import { TEST_DATABASE_URL } from '../support/databases.js';
import { BIN, TestServer } from '../support/plinth.js';
import { projectService } from './keys-helpers.js';

const PROJECT = 'keys-cluster';
const REDIS_URL = process.env.PLINTH_TEST_REDIS || 'redis://127.0.0.1:6379';
/** The promise: a key deleted or expired on one node stops on every node within this. */
const WITHIN_MS = 1000;

/** A second `plinth serve` of the same deployment: same database and data directory. */
async function startSecondNode(first: TestServer): Promise<{ endpoint: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [BIN, 'serve'], { env: first.processEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`second node exited with ${code}: ${logs.join('')}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const found = /"url":"(http:\/\/[^"]+)"/.exec(line)?.[1];
      if (found) resolve(found.replace('localhost', '127.0.0.1'));
    });
  });
  return { endpoint: `${url}/v1`, child };
}

/** A call needing the key's `keys.read` scope, on the given node: its status and error type. */
async function listKeysOn(endpoint: string, secret: string): Promise<{ status: number; type?: string }> {
  const response = await fetch(`${endpoint}/project/keys`, { headers: { 'X-Appwrite-Project': PROJECT, 'X-Appwrite-Key': secret } });
  const body = (await response.json()) as { type?: string };
  return { status: response.status, type: body.type };
}

/**
 * Asks node B again and again until it refuses the key; fails if it still accepts it
 * `WITHIN_MS` after `since`. Returns the refusal.
 */
async function refusedWithin(endpoint: string, secret: string, since: number): Promise<{ status: number; type?: string }> {
  for (;;) {
    const answer = await listKeysOn(endpoint, secret);
    if (answer.status !== 200) return answer;
    const late = Date.now() - since;
    assert.ok(late <= WITHIN_MS, `node B still accepted the key ${late} ms after it stopped`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function describeTwoNodes(label: string, env: Record<string, string>): void {
  // Many nodes share PostgreSQL: on SQLite each process owns its files.
  describe(`keys on two nodes, ${label}`, { skip: TEST_DATABASE_URL ? false : 'PostgreSQL only (PLINTH_TEST_DB)' }, () => {
    let nodeA: TestServer;
    let nodeB: { endpoint: string; child: ChildProcess };
    let admin: Project;

    before(async () => {
      nodeA = await TestServer.start({ env });
      await nodeA.createProject(PROJECT);
      admin = projectService(nodeA, PROJECT, await nodeA.createKey(PROJECT));
      nodeB = await startSecondNode(nodeA);
    });
    after(async () => {
      if (nodeB && nodeB.child.exitCode === null) {
        const exited = new Promise((resolve) => nodeB.child.once('exit', resolve));
        nodeB.child.kill('SIGTERM');
        await exited;
      }
      await nodeA?.stop();
    });

    it('a key deleted through node A stops on node B within a second', async () => {
      const { secret } = await admin.createKey({ keyId: 'deleted', name: 'Deleted', scopes: [Scopes.KeysRead] });
      // Twice, so node B answers the second from what it cached.
      assert.equal((await listKeysOn(nodeB.endpoint, secret)).status, 200);
      assert.equal((await listKeysOn(nodeB.endpoint, secret)).status, 200);
      await admin.deleteKey({ keyId: 'deleted' });
      const refusal = await refusedWithin(nodeB.endpoint, secret, Date.now());
      // A guest now: the scope check fails, not the key lookup.
      assert.deepEqual(refusal, { status: 401, type: 'general_unauthorized_scope' });
    });

    it('a key expiring stops on node B at its expiry', async () => {
      const expire = new Date(Date.now() + 1500).toISOString();
      const { secret } = await admin.createKey({ keyId: 'expiring', name: 'Expiring', scopes: [Scopes.KeysRead], expire });
      assert.equal((await listKeysOn(nodeB.endpoint, secret)).status, 200);
      const refusal = await refusedWithin(nodeB.endpoint, secret, Date.parse(expire));
      assert.deepEqual(refusal, { status: 401, type: 'project_key_expired' });
    });

    it('a key whose expiry node A moves into the past stops on node B within a second', async () => {
      const { secret } = await admin.createKey({ keyId: 'expired', name: 'Expired', scopes: [Scopes.KeysRead] });
      assert.equal((await listKeysOn(nodeB.endpoint, secret)).status, 200);
      assert.equal((await listKeysOn(nodeB.endpoint, secret)).status, 200);
      await admin.updateKey({ keyId: 'expired', name: 'Expired', scopes: [Scopes.KeysRead], expire: '2001-01-01T00:00:00.000+00:00' });
      const refusal = await refusedWithin(nodeB.endpoint, secret, Date.now());
      assert.deepEqual(refusal, { status: 401, type: 'project_key_expired' });
    });
  });
}

describeTwoNodes('PostgreSQL and Redis', { PLINTH_REDIS: REDIS_URL, PLINTH_REDIS_CHANNEL: `plinth:test:${randomUUID()}` });
describeTwoNodes('PostgreSQL alone', {});
