import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Project, ProjectOAuth2GooglePrompt, ProjectOAuthProviderId, Query } from 'node-appwrite';
import { followRedirects, TestOidcProvider } from '../support/oidc-provider.js';
import { jsonOf, TestServer } from '../support/plinth.js';
import { rejectsWith, sdkClient } from '../support/sdk.js';

const PROJECT = 'oauth-admin';
const SUCCESS = 'http://localhost:5173/signed-in';
const FAILURE = 'http://localhost:5173/failed';

/** The 42 providers of the project API (server.json's PATCH routes). */
const PROVIDER_COUNT = 42;

describe('project OAuth2 providers through node-appwrite', () => {
  let server: TestServer;
  let idp: TestOidcProvider;
  let key: string;
  let project: Project;

  /** What a browser gets from the first URL of an OAuth2 sign-in. */
  function beginSignIn(provider: string) {
    const params = new URLSearchParams({ project: PROJECT, success: SUCCESS, failure: FAILURE });
    return fetch(`${server.endpoint}/account/sessions/oauth2/${provider}?${params}`, { redirect: 'manual' });
  }

  before(async () => {
    server = await TestServer.start();
    await server.createProject(PROJECT);
    key = await server.createKey(PROJECT);
    project = new Project(sdkClient(server, PROJECT, key));
    idp = await TestOidcProvider.start({
      clientId: 'plinth-admin-app',
      clientSecret: 'plinth-admin-secret',
      redirectUris: [`${server.url}/v1/account/sessions/oauth2/callback/oidc/${PROJECT}`],
    });
  });
  after(async () => {
    await idp?.stop();
    await server?.stop();
  });

  it('sets GitHub and answers with its model, the secret left empty', async () => {
    const github = { ...(await project.updateOAuth2GitHub({ clientId: 'gh-client', clientSecret: 'gh-secret-value', enabled: true })) };
    assert.deepEqual(github, { $id: 'github', enabled: true, clientId: 'gh-client', clientSecret: '' });

    // A change that names only `enabled` keeps the credentials.
    const off = { ...(await project.updateOAuth2GitHub({ enabled: false })) };
    assert.deepEqual(off, { $id: 'github', enabled: false, clientId: 'gh-client', clientSecret: '' });
    await project.updateOAuth2GitHub({ enabled: true });
  });

  it('sets Microsoft with its tenant and keeps fields a later change leaves out', async () => {
    const set = { ...(await project.updateOAuth2Microsoft({ applicationId: 'ms-app', applicationSecret: 'ms-secret', tenant: 'contoso.onmicrosoft.com', enabled: true })) };
    assert.deepEqual(set, { $id: 'microsoft', enabled: true, applicationId: 'ms-app', applicationSecret: '', tenant: 'contoso.onmicrosoft.com' });
    const renamed = await project.updateOAuth2Microsoft({ applicationId: 'ms-app-2' });
    assert.equal(renamed.tenant, 'contoso.onmicrosoft.com');
    assert.equal(renamed.enabled, true);

    // The stored tenant is the one sign-in sends the browser to.
    const start = await beginSignIn('microsoft');
    assert.equal(start.status, 301);
    const location = new URL(start.headers.get('location')!);
    assert.equal(location.host, 'login.microsoftonline.com');
    assert.ok(location.pathname.startsWith('/contoso.onmicrosoft.com/'), location.pathname);
    assert.equal(location.searchParams.get('client_id'), 'ms-app-2');
  });

  it('sets OpenID Connect by its well-known URL', async () => {
    const oidc = { ...(await project.updateOAuth2Oidc({ clientId: 'plinth-admin-app', clientSecret: 'plinth-admin-secret', wellKnownURL: `${idp.issuer}/.well-known/openid-configuration`, enabled: true })) };
    assert.equal(oidc.$id, 'oidc');
    assert.equal(oidc.clientId, 'plinth-admin-app');
    assert.equal(oidc.clientSecret, '');
    assert.equal(oidc.wellKnownURL, `${idp.issuer}/.well-known/openid-configuration`);
    // server.json spells the last two `tokenUrl` and `userInfoUrl`, node-appwrite `tokenURL` and `userInfoURL`: both are answered.
    for (const field of ['authorizationURL', 'tokenUrl', 'tokenURL', 'userInfoUrl', 'userInfoURL']) assert.equal(oidc[field as keyof typeof oidc], '', field);

    const explicit = await project.updateOAuth2Oidc({ tokenURL: 'https://id.example.com/token' });
    assert.equal(explicit.tokenURL, 'https://id.example.com/token');
    assert.equal((explicit as unknown as Record<string, string>).tokenUrl, 'https://id.example.com/token');
    await project.updateOAuth2Oidc({ tokenURL: '' });

    await rejectsWith(project.updateOAuth2Oidc({ wellKnownURL: 'not a url' }), 400, 'general_argument_invalid');
  });

  it('sets Apple, keeping the key file like a secret and showing its key and team ids, as Appwrite does', async () => {
    const p8File = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const apple = { ...(await project.updateOAuth2Apple({ serviceId: 'com.example.web', keyId: 'KEY1234567', teamId: 'TEAM123456', p8File, enabled: true })) };
    assert.deepEqual(apple, { $id: 'apple', enabled: true, serviceId: 'com.example.web', keyId: 'KEY1234567', teamId: 'TEAM123456', p8File: '' });

    // Sign-in builds Apple's client from what was stored: the service id is its client id.
    const start = await beginSignIn('apple');
    assert.equal(start.status, 301);
    const location = new URL(start.headers.get('location')!);
    assert.equal(location.host, 'appleid.apple.com');
    assert.equal(location.searchParams.get('client_id'), 'com.example.web');
  });

  it('gets and lists providers with their ids and settings but never a secret', async () => {
    const github = { ...(await project.getOAuth2Provider({ providerId: ProjectOAuthProviderId.Github })) };
    assert.deepEqual(github, { $id: 'github', enabled: true, clientId: 'gh-client', clientSecret: '' });
    const microsoft = await project.getOAuth2Provider({ providerId: ProjectOAuthProviderId.Microsoft });
    assert.equal((microsoft as { tenant?: string }).tenant, 'contoso.onmicrosoft.com');
    const unset = { ...(await project.getOAuth2Provider({ providerId: ProjectOAuthProviderId.Dropbox })) };
    assert.deepEqual(unset, { $id: 'dropbox', enabled: false, appKey: '', appSecret: '' });

    const list = await project.listOAuth2Providers();
    assert.equal(list.total, PROVIDER_COUNT);
    assert.equal(list.providers.length, PROVIDER_COUNT);
    const ids = list.providers.map((provider) => provider.$id);
    assert.ok(ids.includes('paypalSandbox') && ids.includes('tradeshiftBox') && ids.includes('x'));
    assert.deepEqual({ ...list.providers.find((provider) => provider.$id === 'github') }, github);

    const raw = JSON.stringify(await jsonOf(server.request('/project/oauth2', { project: PROJECT, key })));
    for (const secret of ['gh-secret-value', 'ms-secret', 'plinth-admin-secret', 'PRIVATE KEY']) assert.ok(!raw.includes(secret), secret);

    const page = await project.listOAuth2Providers({ queries: [Query.limit(2), Query.offset(1)] });
    assert.deepEqual(page.providers.map((provider) => provider.$id), ['apple', 'auth0']);
    assert.equal(page.total, PROVIDER_COUNT);
  });

  it('shows the stored providers in the project model', async () => {
    // server.json's project model has `oAuthProviders`; node-appwrite 27.1's type does not name it.
    const model = (await project.get()) as unknown as { oAuthProviders: { key: string; name: string; appId: string; secret: string; enabled: boolean }[] };
    const providers = model.oAuthProviders;
    assert.equal(providers.length, PROVIDER_COUNT);
    assert.deepEqual({ ...providers.find((provider) => provider.key === 'github') }, { key: 'github', name: 'GitHub', appId: 'gh-client', secret: '', enabled: true });
    assert.deepEqual({ ...providers.find((provider) => provider.key === 'zoom') }, { key: 'zoom', name: 'Zoom', appId: '', secret: '', enabled: false });
  });

  it('stores what the CLI reads: client id as appId, a secret, and the extra settings by their store names', async () => {
    type Summary = { provider: string; enabled: boolean; appId: string; secretSet: boolean; extra: Record<string, string> };
    const summaries = await server.cliJson<Summary[]>(['oauth', 'list', '--project', PROJECT, '--json']);
    const of = (provider: string) => summaries.find((summary) => summary.provider === provider);
    assert.deepEqual(of('github'), { provider: 'github', enabled: true, appId: 'gh-client', secretSet: true, extra: {} });
    assert.deepEqual(of('microsoft')?.extra, { tenant: 'contoso.onmicrosoft.com' });
    assert.deepEqual(of('apple'), { provider: 'apple', enabled: true, appId: 'com.example.web', secretSet: true, extra: { keyId: 'KEY1234567', teamId: 'TEAM123456' } });
    assert.deepEqual(of('oidc')?.extra, { wellKnownURL: `${idp.issuer}/.well-known/openid-configuration` });
  });

  it('switches a provider on as Appwrite does: with an id and a secret, and by itself when `enabled` is left out', async () => {
    const required = 'Could not enable OAuth2 provider: Client ID and Client Secret are required when enabling OAuth2 provider.';
    await rejectsWith(project.updateOAuth2Amazon({ enabled: true }), 400, 'general_argument_invalid', required);
    await rejectsWith(project.updateOAuth2Amazon({ clientId: 'amzn-only-id', enabled: true }), 400, 'general_argument_invalid', required);
    // Without `enabled`, missing credentials are kept as they are, still off.
    assert.deepEqual({ ...(await project.updateOAuth2Amazon({ clientId: 'amzn-only-id' })) }, { $id: 'amazon', enabled: false, clientId: 'amzn-only-id', clientSecret: '' });
    assert.equal((await project.updateOAuth2Amazon({ clientSecret: 'amzn-secret' })).enabled, true);
    assert.equal((await project.updateOAuth2Amazon({ enabled: false })).enabled, false);
    assert.equal((await project.updateOAuth2Gitlab({ applicationId: 'gl-app', secret: 'gl-secret' })).enabled, true);
    // Providers Appwrite checks with the provider itself are never switched on unasked.
    assert.equal((await project.updateOAuth2Authentik({ clientId: 'ak-app', clientSecret: 'ak-secret', endpoint: 'auth.example.com' })).enabled, false);
    await rejectsWith(
      project.updateOAuth2Oidc({ clientId: 'c', clientSecret: 's', wellKnownURL: '', authorizationURL: 'https://id.example.com/authorize', userInfoURL: 'https://id.example.com/userinfo', enabled: true }),
      400,
      'general_argument_invalid',
      'Enabling OpenID Connect requires either wellKnownURL, or all of authorizationURL, tokenURL, and userInfoURL.',
    );
    await rejectsWith(project.updateOAuth2Amazon({ clientId: 'x'.repeat(257) }), 400, 'general_argument_invalid', 'Invalid `clientId` param: Value must be a valid string and no longer than 256 chars');
    await rejectsWith(project.updateOAuth2Amazon({ clientSecret: 'x'.repeat(513) }), 400, 'general_argument_invalid', 'Invalid `clientSecret` param: Value must be a valid string and no longer than 512 chars');
    const mock = await server.request('/project/oauth2/mock', { project: PROJECT, key });
    assert.deepEqual([mock.status, (await jsonOf(mock)).type], [400, 'project_provider_unsupported']);
  });

  it("keeps Google's prompt, shows `consent` when unset, and sends it to Google on sign-in", async () => {
    assert.deepEqual((await project.getOAuth2Provider({ providerId: ProjectOAuthProviderId.Google }) as unknown as { prompt: string[] }).prompt, ['consent']);
    const google = await project.updateOAuth2Google({ clientId: 'google-client', clientSecret: 'google-secret', prompt: [ProjectOAuth2GooglePrompt.SelectAccount], enabled: true });
    assert.deepEqual([google.clientId, google.clientSecret, google.prompt, google.enabled], ['google-client', '', ['select_account'], true]);
    const start = await beginSignIn('google');
    assert.equal(start.status, 301);
    assert.equal(new URL(start.headers.get('location')!).searchParams.get('prompt'), 'select_account');

    await rejectsWith(project.updateOAuth2Google({ prompt: [] }), 400, 'general_argument_invalid', 'Prompt array cannot be empty.');
    await rejectsWith(
      project.updateOAuth2Google({ prompt: [ProjectOAuth2GooglePrompt.None, ProjectOAuth2GooglePrompt.Consent] }),
      400,
      'general_argument_invalid',
      'When "none" is used as a prompt value, it must be the only element in the array.',
    );
    await rejectsWith(project.updateOAuth2Google({ prompt: ['always' as ProjectOAuth2GooglePrompt] }), 400, 'general_argument_invalid');
    assert.deepEqual((await project.updateOAuth2Google({ clientId: 'google-client-2' })).prompt, ['select_account']);
  });

  it('refuses an unknown provider', async () => {
    const response = await server.request('/project/oauth2/myspace', { project: PROJECT, key });
    assert.equal(response.status, 400);
    assert.equal((await jsonOf(response)).type, 'general_argument_invalid');
    const patch = await server.request('/project/oauth2/myspace', { method: 'PATCH', project: PROJECT, key, headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(patch.status, 404);
  });

  it('needs oauth2.read to read and oauth2.write to change', async () => {
    const reader = new Project(sdkClient(server, PROJECT, await server.createKey(PROJECT, 'oauth2.read')));
    assert.equal((await reader.getOAuth2Provider({ providerId: ProjectOAuthProviderId.Github })).$id, 'github');
    await rejectsWith(reader.updateOAuth2GitHub({ enabled: false }), 401, 'general_unauthorized_scope');
    const outsider = new Project(sdkClient(server, PROJECT, await server.createKey(PROJECT, 'project.read')));
    await rejectsWith(outsider.listOAuth2Providers(), 401, 'general_unauthorized_scope');
    assert.equal((await project.getOAuth2Provider({ providerId: ProjectOAuthProviderId.Github })).enabled, true);
  });

  it('is the configuration sign-in uses: the OIDC flow completes, and stops once disabled', async () => {
    await project.updateOAuth2Oidc({ clientId: 'plinth-admin-app', clientSecret: 'plinth-admin-secret', wellKnownURL: `${idp.issuer}/.well-known/openid-configuration`, enabled: true });
    const start = await beginSignIn('oidc');
    assert.equal(start.status, 301);
    assert.ok(start.headers.get('location')!.startsWith(idp.issuer), 'the first hop goes to the provider');

    // The whole flow, token exchange included, proves the stored secret decrypts to the one the provider expects.
    idp.account = { sub: 'admin-configured', email: 'configured@example.com', emailVerified: true, name: 'Configured' };
    const params = new URLSearchParams({ project: PROJECT, success: SUCCESS, failure: FAILURE });
    const chain = await followRedirects(`${server.endpoint}/account/sessions/oauth2/oidc?${params}`, [SUCCESS, FAILURE]);
    assert.equal(chain.finalUrl, SUCCESS);

    await project.updateOAuth2Oidc({ enabled: false });
    const refused = await beginSignIn('oidc');
    assert.equal(refused.status, 412);
    assert.equal((await jsonOf(refused)).type, 'project_provider_disabled');
  });
});
