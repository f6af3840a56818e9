import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Account, Databases, Functions, RelationshipType, TablesDB } from 'node-appwrite';
import { serviceAliases } from '../../src/app/api-server.js';
import { waitForSchema } from '../databases/helpers.js';
import { jsonOf, TestServer } from '../support/plinth.js';
import { sdkClient } from '../support/sdk.js';

const PROJECT = 'aliases';

type Caller = 'guest' | 'session' | 'key';

interface AliasCase {
  method: string;
  alias: string;
  target: string;
  body?: Record<string, unknown>;
  caller: Caller;
  /** What both answer: a status, and the error type when it is an error. */
  expect: { status: number; type?: string };
}

/**
 * Each path Appwrite 1.9.6's router keeps as an alias answers as the route it names: same
 * status, same error, same parameters (path parameters the route takes in its body included).
 */
describe('older paths Appwrite still answers, as aliases of current routes', () => {
  let server: TestServer;
  let key: string;
  let session: string;
  let userId: string;

  before(async () => {
    server = await TestServer.start();
    await server.createProject(PROJECT);
    key = await server.createKey(PROJECT);
    const keyClient = sdkClient(server, PROJECT, key);
    const created = await new Account(sdkClient(server, PROJECT)).create({ userId: 'ada', email: 'ada@example.com', password: 'correct horse' });
    userId = created.$id;
    session = (await new Account(keyClient).createEmailPasswordSession({ email: 'ada@example.com', password: 'correct horse' })).secret;

    const databases = new Databases(keyClient);
    await databases.create({ databaseId: 'db', name: 'db' });
    await databases.createCollection({ databaseId: 'db', collectionId: 'authors', name: 'authors' });
    await databases.createCollection({ databaseId: 'db', collectionId: 'books', name: 'books' });
    await databases.createRelationshipAttribute({
      databaseId: 'db',
      collectionId: 'books',
      relatedCollectionId: 'authors',
      type: RelationshipType.ManyToOne,
      key: 'author',
    });
    await waitForSchema(new TablesDB(keyClient), 'db', 'books');
    await new Functions(keyClient).create({ functionId: 'fn', name: 'fn', runtime: 'node-20.0' as never });
  });
  after(() => server.stop());

  const cases = (): AliasCase[] => [
    { method: 'POST', alias: '/account/sessions', target: '/account/sessions/email', caller: 'guest', body: { email: 'ada@example.com', password: 'correct horse' }, expect: { status: 201 } },
    { method: 'POST', alias: '/account/sessions', target: '/account/sessions/email', caller: 'guest', body: { email: 'ada@example.com', password: 'wrong horse' }, expect: { status: 401, type: 'user_invalid_credentials' } },
    { method: 'POST', alias: '/account/sessions/magic-url', target: '/account/tokens/magic-url', caller: 'guest', body: { userId: 'ada', email: 'ada@example.com' }, expect: { status: 201 } },
    { method: 'POST', alias: '/account/sessions/phone', target: '/account/tokens/phone', caller: 'guest', body: { userId: 'phoned', phone: 'not a phone' }, expect: { status: 400, type: 'general_argument_invalid' } },
    { method: 'POST', alias: '/account/jwt', target: '/account/jwts', caller: 'session', expect: { status: 201 } },
    { method: 'POST', alias: '/account/verification', target: '/account/verifications/email', caller: 'session', body: { url: 'https://evil.example/verify' }, expect: { status: 400, type: 'general_argument_invalid' } },
    { method: 'PUT', alias: '/account/verification', target: '/account/verifications/email', caller: 'session', body: { userId, secret: 'wrong' }, expect: { status: 401, type: 'user_invalid_token' } },
    { method: 'POST', alias: '/account/verification/phone', target: '/account/verifications/phone', caller: 'session', expect: { status: 400, type: 'user_phone_not_found' } },
    { method: 'PUT', alias: '/account/verification/phone', target: '/account/verifications/phone', caller: 'session', body: { userId, secret: 'wrong' }, expect: { status: 401, type: 'user_invalid_token' } },
    { method: 'POST', alias: '/account/mfa/challenge', target: '/account/mfa/challenges', caller: 'session', body: { factor: 'totp' }, expect: { status: 404, type: 'user_authenticator_not_found' } },
    { method: 'PUT', alias: '/account/mfa/challenge', target: '/account/mfa/challenges', caller: 'session', body: { challengeId: 'none', otp: '123456' }, expect: { status: 401, type: 'user_invalid_token' } },
    {
      method: 'PATCH',
      alias: '/databases/db/collections/books/attributes/author/relationship',
      target: '/databases/db/collections/books/attributes/relationship/author',
      caller: 'key',
      body: { onDelete: 'cascade' },
      expect: { status: 200 },
    },
    { method: 'GET', alias: '/functions/fn/deployments/none/build/download', target: '/functions/fn/deployments/none/download', caller: 'key', expect: { status: 404, type: 'deployment_not_found' } },
    { method: 'POST', alias: '/functions/fn/deployments/none/build', target: '/functions/fn/deployments/duplicate', caller: 'key', body: { deploymentId: 'none' }, expect: { status: 404, type: 'deployment_not_found' } },
    { method: 'POST', alias: '/functions/fn/deployments/none/builds/old', target: '/functions/fn/deployments/duplicate', caller: 'key', body: { deploymentId: 'none' }, expect: { status: 404, type: 'deployment_not_found' } },
    { method: 'PATCH', alias: '/functions/fn/deployments/none/build', target: '/functions/fn/deployments/none/status', caller: 'key', expect: { status: 404, type: 'deployment_not_found' } },
    { method: 'PATCH', alias: '/functions/fn/deployments/none', target: '/functions/fn/deployment', caller: 'key', body: { deploymentId: 'none' }, expect: { status: 404, type: 'deployment_not_found' } },
    { method: 'PATCH', alias: '/project/services/teams/status', target: '/project/services/teams', caller: 'key', body: { enabled: true }, expect: { status: 200 } },
    { method: 'PATCH', alias: '/project/protocols/graphql/status', target: '/project/protocols/graphql', caller: 'key', body: { enabled: true }, expect: { status: 200 } },
  ];

  const send = (method: string, path: string, caller: Caller, body: Record<string, unknown> | undefined) =>
    server.request(path, {
      method,
      project: PROJECT,
      ...(caller === 'key' ? { key } : {}),
      headers: { ...(caller === 'session' ? { 'x-appwrite-session': session } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  async function answer(response: Response): Promise<{ status: number; type?: string }> {
    if (response.status === 204 || !(response.headers.get('content-type') ?? '').includes('json')) {
      await response.arrayBuffer();
      return { status: response.status };
    }
    const body = await jsonOf(response);
    return response.status >= 400 ? { status: response.status, type: body.type } : { status: response.status };
  }

  it('answers each alias as its route, and its route as Appwrite answers it', async () => {
    for (const row of cases()) {
      const { method, alias, target, caller, body, expect } = row;
      // The route's body without what the alias carries in its path.
      const targetAnswer = await answer(await send(method, target, caller, body));
      const aliasBody = body && alias.includes('/deployments/none') ? withoutKey(body, 'deploymentId') : body;
      const aliasAnswer = await answer(await send(method, alias, caller, aliasBody));
      assert.deepEqual(targetAnswer, expect, `${method} ${target}`);
      assert.deepEqual(aliasAnswer, expect, `${method} ${alias} as ${target}`);
    }
  });

  it('covers every alias the server declares', () => {
    const tested = new Set(cases().map((row) => row.method + ' ' + pattern(row.alias)));
    for (const alias of serviceAliases) {
      assert.ok(tested.has(`${alias.method} ${alias.path.replace(/:[A-Za-z]+/g, '*')}`), `${alias.method} ${alias.path} has a case`);
    }
  });

  it('keeps the query string and reads a trailing slash on an alias', async () => {
    const response = await send('PATCH', '/project/services/teams/status/?unused=1', 'key', { enabled: true });
    assert.equal(response.status, 200);
  });

  /** The declared pattern a concrete path matches, with its parameters as `*`. */
  function pattern(path: string): string {
    const segments = path.split('/');
    for (const alias of serviceAliases) {
      const parts = alias.path.split('/');
      if (parts.length === segments.length && parts.every((part, i) => part.startsWith(':') || part === segments[i])) return alias.path.replace(/:[A-Za-z]+/g, '*');
    }
    return path;
  }
});

function withoutKey(body: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const { [name]: _dropped, ...rest } = body;
  return Object.keys(rest).length > 0 ? rest : undefined;
}
