import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Query, Users } from 'node-appwrite';
import { followRedirects, TestOidcProvider } from '../support/oidc-provider.js';
import { TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';

const PROJECT = 'useridentities';
const SUCCESS = 'http://localhost:5173/signed-in';
const FAILURE = 'http://localhost:5173/failed';

describe('users: identities', () => {
  let server: TestServer;
  let idp: TestOidcProvider;
  let users: Users;

  before(async () => {
    server = await TestServer.start();
    await server.createProject(PROJECT);
    users = new Users(sdkClient(server, PROJECT, await server.createKey(PROJECT)));
    idp = await TestOidcProvider.start({
      clientId: 'plinth-app',
      clientSecret: 'plinth-app-secret',
      redirectUris: [`${server.url}/v1/account/sessions/oauth2/callback/oidc/${PROJECT}`],
    });
    await server.configureOidc(PROJECT, { clientId: 'plinth-app', clientSecret: 'plinth-app-secret', wellKnownUrl: idp.wellKnownUrl });
    // One OAuth2 sign-in leaves one identity behind.
    idp.account = { sub: 'oidc-ada', email: 'ada@example.com', emailVerified: true, name: 'Ada' };
    const params = new URLSearchParams({ project: PROJECT, success: SUCCESS, failure: FAILURE });
    const chain = await followRedirects(`${server.endpoint}/account/sessions/oauth2/oidc?${params}`, [SUCCESS, FAILURE]);
    assert.equal(chain.finalUrl, SUCCESS);
  });
  after(async () => {
    await idp?.stop();
    await server?.stop();
  });

  test('lists identities across users, with queries and search, and deletes one', async () => {
    const all = await users.listIdentities();
    assert.equal(all.total, 1);
    const identity = all.identities[0]!;
    assert.equal(identity.provider, 'oidc');
    assert.equal(identity.providerUid, 'oidc-ada');
    assert.equal(identity.providerEmail, 'ada@example.com');

    assert.equal((await users.listIdentities({ queries: [Query.equal('userId', identity.userId)] })).total, 1);
    assert.equal((await users.listIdentities({ queries: [Query.equal('provider', 'github')] })).total, 0);
    assert.equal((await users.listIdentities({ search: 'ada@example' })).total, 1);

    await users.deleteIdentity({ identityId: identity.$id });
    assert.equal((await users.listIdentities()).total, 0);
    await rejectsWith(users.deleteIdentity({ identityId: identity.$id }), 404, 'user_identity_not_found');
    // The user stays.
    assert.equal((await users.get({ userId: identity.userId })).email, 'ada@example.com');
  });
});
