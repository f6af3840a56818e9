import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestOidcProvider } from '../support/oidc-provider.js';
import { TestServer } from '../support/plinth.js';
import { rawRequest } from '../functions/deploy.js';

const PROJECT = 'public-url';
const PUBLIC_URL = 'https://plinth.example.net/api';
const CALLBACK = `${PUBLIC_URL}/v1/account/sessions/oauth2/callback/oidc/${PROJECT}`;

describe('OAuth2 behind a configured public URL', () => {
  let server: TestServer;
  let idp: TestOidcProvider;

  before(async () => {
    // The trailing slash is the operator's; the server keeps the URL without it.
    server = await TestServer.start({ env: { PLINTH_PUBLIC_URL: `${PUBLIC_URL}/` } });
    await server.createProject(PROJECT);
    idp = await TestOidcProvider.start({ clientId: 'plinth-app', clientSecret: 'plinth-app-secret', redirectUris: [CALLBACK] });
    await server.configureOidc(PROJECT, { clientId: 'plinth-app', clientSecret: 'plinth-app-secret', wellKnownUrl: idp.wellKnownUrl });
  });
  after(async () => {
    await idp?.stop();
    await server?.stop();
  });

  /** The first hop of a sign-in, with the Host header the client chose. */
  async function begin(host: string, query: Record<string, string>) {
    return rawRequest(server.endpoint, host, `/v1/account/tokens/oauth2/oidc?${new URLSearchParams({ project: PROJECT, ...query })}`);
  }

  test('the provider is given the public URL\'s callback, whatever Host the request names', async () => {
    for (const host of [new URL(server.url).host, 'evil.example.net', 'plinth.example.net.evil.example.net']) {
      const start = await begin(host, {});
      assert.equal(start.status, 301, start.body);
      const location = new URL(String(start.headers.location));
      assert.equal(`${location.origin}`, idp.issuer);
      assert.equal(location.searchParams.get('redirect_uri'), CALLBACK, `with Host: ${host}`);
    }
  });

  test('pages of the public host are allowed; its API paths, and the Host a client sends, are not', async () => {
    const allowed = await begin('evil.example.net', { success: 'https://plinth.example.net/welcome' });
    assert.equal(allowed.status, 301, allowed.body);
    for (const success of ['https://evil.example.net/steal', `${PUBLIC_URL}/v1/functions/collector/run?project=other`, `${PUBLIC_URL}/v1/account`]) {
      const refused = await begin('evil.example.net', { success });
      assert.equal(refused.status, 400, success);
      assert.equal(JSON.parse(refused.body).type, 'general_argument_invalid');
    }
  });
});
