import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Account, Client, ID } from 'node-appwrite';
import { CookieJar, followRedirects, TestOidcProvider } from '../support/oidc-provider.js';
import { jsonOf, TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';
import { rawRequest } from '../functions/deploy.js';

const PROJECT = 'oauth';
const SUCCESS = 'http://localhost:5173/signed-in';
const FAILURE = 'http://localhost:5173/failed';

describe('OAuth2 sign-in with an OpenID Connect provider', () => {
  let server: TestServer;
  let idp: TestOidcProvider;
  let key: string;

  /** Runs a sign-in from its first URL to the app's page, as a browser would. */
  async function signIn(kind: 'sessions' | 'tokens', query: Record<string, string> = {}, jar = new CookieJar()) {
    const params = new URLSearchParams({ project: PROJECT, success: SUCCESS, failure: FAILURE, ...query });
    return followRedirects(`${server.endpoint}/account/${kind}/oauth2/oidc?${params}`, [SUCCESS, FAILURE], jar);
  }

  function sessionCookieOf(chain: Awaited<ReturnType<typeof signIn>>): string {
    for (const { response } of chain.hops) {
      const line = response.headers.getSetCookie().find((cookie) => cookie.startsWith(`a_session_${PROJECT}=`));
      if (line) return line.split(';')[0]!;
    }
    throw new Error('no session cookie was set');
  }

  function errorOf(finalUrl: string): { type: string; code: number; message: string } {
    assert.ok(finalUrl.startsWith(FAILURE), finalUrl);
    return JSON.parse(new URL(finalUrl).searchParams.get('error') ?? '{}');
  }

  async function configure(extra: string[] = []) {
    const result = await server.cli(['oauth', 'set', '--project', PROJECT, '--provider', 'oidc', '--client-id', 'plinth-app', '--client-secret', 'plinth-app-secret', '--well-known', idp.wellKnownUrl, ...extra]);
    assert.equal(result.code, 0, result.stderr);
  }

  before(async () => {
    server = await TestServer.start();
    await server.createProject(PROJECT);
    key = await server.createKey(PROJECT);
    idp = await TestOidcProvider.start({
      clientId: 'plinth-app',
      clientSecret: 'plinth-app-secret',
      redirectUris: [`${server.url}/v1/account/sessions/oauth2/callback/oidc/${PROJECT}`],
    });
    await configure();
  });
  after(async () => {
    await idp?.stop();
    await server?.stop();
  });

  test('the session flow ends at the success page with a working session cookie', async () => {
    idp.account = { sub: 'oidc-ada', email: 'Ada@Example.com', emailVerified: true, name: 'Ada Lovelace' };
    const chain = await signIn('sessions');
    assert.equal(chain.finalUrl, SUCCESS);
    assert.equal(chain.hops[0]!.response.status, 301);
    assert.ok(chain.hops[0]!.response.headers.get('location')!.startsWith(idp.issuer), 'the first hop goes to the provider');
    const cookie = sessionCookieOf(chain);

    const me = await jsonOf(server.request('/account', { project: PROJECT, headers: { cookie } }));
    assert.equal(me.email, 'ada@example.com');
    assert.equal(me.name, 'Ada Lovelace');
    assert.equal(me.emailVerification, true);

    const session = await jsonOf(server.request('/account/sessions/current', { project: PROJECT, headers: { cookie } }));
    assert.equal(session.provider, 'oidc');
    assert.equal(session.providerUid, 'oidc-ada');
    assert.ok(session.providerAccessToken.length > 10, 'the provider access token is kept for the user');

    const identities = await jsonOf(server.request('/account/identities', { project: PROJECT, headers: { cookie } }));
    assert.equal(identities.total, 1);
    assert.deepEqual(
      { provider: identities.identities[0].provider, providerUid: identities.identities[0].providerUid, providerEmail: identities.identities[0].providerEmail, userId: identities.identities[0].userId },
      { provider: 'oidc', providerUid: 'oidc-ada', providerEmail: 'ada@example.com', userId: me.$id },
    );
  });

  test('a second sign-in with the same provider account reuses the user', async () => {
    idp.account = { sub: 'oidc-grace', email: 'grace@example.com', emailVerified: true, name: 'Grace Hopper' };
    const first = await jsonOf(server.request('/account', { project: PROJECT, headers: { cookie: sessionCookieOf(await signIn('sessions')) } }));
    // The provider now reports another address: the identity, not the email, decides.
    idp.account = { ...idp.account, email: 'rear.admiral@example.com' };
    const cookie = sessionCookieOf(await signIn('sessions'));
    const second = await jsonOf(server.request('/account', { project: PROJECT, headers: { cookie } }));
    assert.equal(second.$id, first.$id);
    const identities = await jsonOf(server.request('/account/identities', { project: PROJECT, headers: { cookie } }));
    assert.equal(identities.total, 1);
    assert.equal(identities.identities[0].providerEmail, 'rear.admiral@example.com');
    const sessions = await jsonOf(server.request('/account/sessions', { project: PROJECT, headers: { cookie } }));
    assert.equal(sessions.total, 2);
  });

  test('a verified provider email links to the existing user with that email', async () => {
    const guest = new Account(sdkClient(server, PROJECT));
    const existing = await guest.create({ userId: ID.unique(), email: 'linus@example.com', password: 'correct horse battery' });
    idp.account = { sub: 'oidc-linus', email: 'linus@example.com', emailVerified: true, name: 'Linus' };
    const cookie = sessionCookieOf(await signIn('sessions'));
    const me = await jsonOf(server.request('/account', { project: PROJECT, headers: { cookie } }));
    assert.equal(me.$id, existing.$id);
    assert.equal(me.emailVerification, true);
  });

  test('an unverified provider email does not take over an existing account', async () => {
    const guest = new Account(sdkClient(server, PROJECT));
    await guest.create({ userId: ID.unique(), email: 'mallory-target@example.com', password: 'correct horse battery' });
    idp.account = { sub: 'oidc-mallory', email: 'mallory-target@example.com', emailVerified: false, name: 'Mallory' };
    const chain = await signIn('sessions');
    assert.equal(errorOf(chain.finalUrl).type, 'user_already_exists');
  });

  test('the token flow hands the app a secret that account.createSession turns into a session', async () => {
    idp.account = { sub: 'oidc-token-user', email: 'token.user@example.com', emailVerified: true, name: 'Token User' };
    const chain = await signIn('tokens');
    const landed = new URL(chain.finalUrl);
    assert.equal(`${landed.origin}${landed.pathname}`, SUCCESS);
    const userId = landed.searchParams.get('userId')!;
    const secret = landed.searchParams.get('secret')!;
    assert.ok(userId && secret, chain.finalUrl);
    assert.ok(chain.hops.every(({ response }) => !response.headers.getSetCookie().some((c) => c.startsWith('a_session_'))), 'no cookie in the token flow');

    const serverAccount = new Account(sdkClient(server, PROJECT, key));
    const session = await serverAccount.createSession({ userId, secret });
    assert.equal(session.userId, userId);
    assert.equal(session.provider, 'oauth2');
    assert.deepEqual([...session.factors], ['email']);
    const me = await new Account(new Client().setEndpoint(server.endpoint).setProject(PROJECT).setSession(session.secret)).get();
    assert.equal(me.email, 'token.user@example.com');
    assert.equal(me.emailVerification, true);

    // A token is spent once.
    await rejectsWith(serverAccount.createSession({ userId, secret }), 401, 'user_invalid_token');
  });

  test('account.createSession refuses an unknown secret', async () => {
    const guest = new Account(sdkClient(server, PROJECT));
    await rejectsWith(guest.createSession({ userId: 'nobody', secret: 'not-a-secret' }), 401, 'user_invalid_token');
  });

  test('a refusal at the provider sends the browser to the failure page with the error', async () => {
    idp.denyNext();
    const chain = await signIn('sessions');
    const error = errorOf(chain.finalUrl);
    assert.equal(error.type, 'user_oauth2_provider_error');
    assert.equal(error.code, 424);
    assert.match(error.message, /access_denied/);
  });

  test('a forged or missing state is answered with an error, not a redirect', async () => {
    const forged = await server.request(`/account/sessions/oauth2/oidc/redirect?project=${PROJECT}&code=abc&state=forged`);
    assert.equal(forged.status, 400);
    assert.equal((await jsonOf(forged)).type, 'general_argument_invalid');
    const missing = await server.request(`/account/sessions/oauth2/oidc/redirect?project=${PROJECT}&code=abc`);
    assert.equal(missing.status, 400);
  });

  test('a code the provider does not know ends on the failure page', async () => {
    // Take a real state from the first hop, then present a made-up code with it.
    const params = new URLSearchParams({ project: PROJECT, success: SUCCESS, failure: FAILURE });
    const start = await fetch(`${server.endpoint}/account/sessions/oauth2/oidc?${params}`, { redirect: 'manual' });
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const chain = await followRedirects(
      `${server.url}/v1/account/sessions/oauth2/callback/oidc/${PROJECT}?code=made-up&state=${encodeURIComponent(state)}&iss=${encodeURIComponent(idp.issuer)}`,
      [SUCCESS, FAILURE],
    );
    assert.equal(errorOf(chain.finalUrl).type, 'user_oauth2_bad_request');
  });

  test('a callback posted as a form (as Apple does) is passed on with its fields', async () => {
    const response = await fetch(`${server.url}/v1/account/sessions/oauth2/callback/oidc/${PROJECT}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ code: 'posted-code', state: 'posted-state' }).toString(),
    });
    assert.equal(response.status, 301);
    const location = new URL(response.headers.get('location')!, server.url);
    assert.equal(location.pathname, '/v1/account/sessions/oauth2/oidc/redirect');
    assert.deepEqual(Object.fromEntries(location.searchParams), { code: 'posted-code', state: 'posted-state', project: PROJECT });
  });

  test('a disabled, unconfigured or unsupported provider is refused before leaving', async () => {
    const begin = (provider: string) =>
      server.request(`/account/sessions/oauth2/${provider}?project=${PROJECT}&success=${encodeURIComponent(SUCCESS)}`, { redirect: 'manual' });
    await configure(['--disable']);
    try {
      const disabled = await begin('oidc');
      assert.equal(disabled.status, 412);
      assert.equal((await jsonOf(disabled)).type, 'project_provider_disabled');
    } finally {
      await configure();
    }
    const unconfigured = await begin('github');
    assert.equal(unconfigured.status, 412);
    assert.equal((await jsonOf(unconfigured)).type, 'project_provider_disabled');
    const unsupported = await begin('amazon');
    assert.equal(unsupported.status, 400);
    assert.equal((await jsonOf(unsupported)).type, 'project_provider_unsupported');
    const unknown = await begin('myspace');
    assert.equal(unknown.status, 400);
    assert.equal((await jsonOf(unknown)).type, 'general_argument_invalid');
  });

  test('success and failure must be on localhost or a registered web platform', async () => {
    const begin = (success: string) =>
      server.request(`/account/sessions/oauth2/oidc?project=${PROJECT}&success=${encodeURIComponent(success)}&failure=${encodeURIComponent(FAILURE)}`, { redirect: 'manual' });
    const refused = await begin('https://evil.example.net/steal');
    assert.equal(refused.status, 400);
    assert.equal((await jsonOf(refused)).type, 'general_argument_invalid');

    const added = await server.cli(['platform', 'add', '--project', PROJECT, '--type', 'web', '--name', 'App', '--hostname', 'app.example.org']);
    assert.equal(added.code, 0, added.stderr);
    const allowed = await begin('https://app.example.org/done');
    assert.equal(allowed.status, 301);
    assert.ok(allowed.headers.get('location')!.startsWith(idp.issuer));
  });

  test('a forged Host header changes neither the callback the provider sees nor where the browser may go', async () => {
    idp.account = { sub: 'oidc-forged-host', email: 'forged.host@example.com', emailVerified: true, name: 'Forged Host' };
    const params = new URLSearchParams({ project: PROJECT, success: SUCCESS, failure: FAILURE });
    const start = await rawRequest(server.endpoint, 'evil.example.net', `/v1/account/sessions/oauth2/oidc?${params}`);
    assert.equal(start.status, 301, start.body);
    const location = String(start.headers.location);
    assert.equal(new URL(location).searchParams.get('redirect_uri'), `${server.url}/v1/account/sessions/oauth2/callback/oidc/${PROJECT}`);
    assert.equal((await followRedirects(location, [SUCCESS, FAILURE])).finalUrl, SUCCESS);

    // The forged host is no page of this server, in either mode.
    for (const kind of ['sessions', 'tokens']) {
      const steal = new URLSearchParams({ project: PROJECT, success: 'https://evil.example.net/steal', failure: FAILURE });
      const refused = await rawRequest(server.endpoint, 'evil.example.net', `/v1/account/${kind}/oauth2/oidc?${steal}`);
      assert.equal(refused.status, 400, refused.body);
      assert.equal(JSON.parse(refused.body).type, 'general_argument_invalid');
    }
  });

  test('success, failure and mailed links never lead to user code, whatever platform covers it', async () => {
    const wildcard = await server.cli(['platform', 'add', '--project', PROJECT, '--type', 'web', '--name', 'Everything local', '--hostname', '*.localhost']);
    assert.equal(wildcard.code, 0, wildcard.stderr);
    const port = new URL(server.url).port;
    const userCode = [
      `${server.url}/v1/functions/collector/run?project=another`,
      `http://localhost:${port}/v1/functions/collector/run/landing`,
      `${server.url}/v1/%66unctions/collector/run`,
      `${server.url}/v1/account`,
      'http://collector.functions.localhost/landing',
      'http://collector--another.functions.localhost/',
    ];
    for (const url of userCode) {
      for (const kind of ['sessions', 'tokens']) {
        for (const param of ['success', 'failure']) {
          const query = new URLSearchParams({ project: PROJECT, success: SUCCESS, failure: FAILURE, [param]: url });
          const refused = await server.request(`/account/${kind}/oauth2/oidc?${query}`, { redirect: 'manual' });
          assert.equal(refused.status, 400, `${kind} ${param}=${url}`);
          assert.equal((await jsonOf(refused)).type, 'general_argument_invalid');
        }
      }
      const mailed = await server.request('/account/tokens/magic-url', {
        method: 'POST',
        project: PROJECT,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: ID.unique(), email: 'collector.target@example.com', url }),
      });
      assert.equal(mailed.status, 400, `magic link to ${url}`);
    }
    // The platform still admits the app's own pages, and the server's default landing page stays allowed.
    const app = await server.request(`/account/tokens/oauth2/oidc?${new URLSearchParams({ project: PROJECT, success: 'http://app.localhost/done', failure: FAILURE })}`, { redirect: 'manual' });
    assert.equal(app.status, 301);
    const fallback = await server.request(`/account/sessions/oauth2/oidc?project=${PROJECT}`, { redirect: 'manual' });
    assert.equal(fallback.status, 301);
  });

  test('an identity can be unlinked, once', async () => {
    idp.account = { sub: 'oidc-unlink', email: 'unlink@example.com', emailVerified: true, name: 'Un Link' };
    const cookie = sessionCookieOf(await signIn('sessions'));
    const list = await jsonOf(server.request('/account/identities', { project: PROJECT, headers: { cookie } }));
    const identityId = list.identities[0].$id;
    const filtered = await jsonOf(
      server.request(`/account/identities?queries[0]=${encodeURIComponent(JSON.stringify({ method: 'equal', attribute: 'provider', values: ['github'] }))}`, { project: PROJECT, headers: { cookie } }),
    );
    assert.equal(filtered.total, 0);
    const first = await server.request(`/account/identities/${identityId}`, { method: 'DELETE', project: PROJECT, headers: { cookie } });
    assert.equal(first.status, 204);
    const again = await server.request(`/account/identities/${identityId}`, { method: 'DELETE', project: PROJECT, headers: { cookie } });
    assert.equal(again.status, 404);
    assert.equal((await jsonOf(again)).type, 'user_identity_not_found');
  });

  test('plinth oauth list shows the provider without its secret', async () => {
    const providers = await server.cliJson<{ provider: string; enabled: boolean; appId: string; secretSet: boolean; extra: Record<string, string> }[]>(['oauth', 'list', '--project', PROJECT]);
    const oidc = providers.find((entry) => entry.provider === 'oidc')!;
    assert.deepEqual(oidc, { provider: 'oidc', enabled: true, appId: 'plinth-app', secretSet: true, extra: { wellKnownURL: idp.wellKnownUrl } });
    assert.ok(!JSON.stringify(providers).includes('plinth-app-secret'));
  });
});
