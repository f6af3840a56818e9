import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { configureProvider, isSupportedProvider, SUPPORTED_PROVIDERS } from '../../src/services/account/oauth2/catalogue.js';
import { OAUTH2_PROVIDER_IDS, type OAuth2ProviderId } from '../../src/services/projects/oauth2-providers.js';

const REDIRECT = 'https://api.example.com/v1/account/sessions/oauth2/callback/PROVIDER/project1';
/** Settings every provider accepts: the domain-style ones get theirs, Apple its key ids. */
const EXTRA = {
  endpoint: 'https://id.example.com',
  realmName: 'main',
  domain: 'id.example.com',
  tenant: 'contoso',
  keyId: 'KEY123',
  teamId: 'TEAM123',
  authorizationURL: 'https://id.example.com/authorize',
  tokenURL: 'https://id.example.com/token',
  userInfoURL: 'https://id.example.com/userinfo',
};

describe('the OAuth2 provider table', () => {
  for (const provider of SUPPORTED_PROVIDERS) {
    test(`${provider} builds an authorization URL with the state, client and redirect URI`, async () => {
      const redirectUri = REDIRECT.replace('PROVIDER', provider);
      const configured = configureProvider(provider as OAuth2ProviderId, { appId: 'client-1', secret: 'secret-1', extra: EXTRA, redirectUri });
      const url = await configured.client.authorizationUrl('state-xyz', 'v'.repeat(43), configured.scopes(['extra.scope']));
      assert.equal(url.protocol, 'https:', url.toString());
      assert.equal(url.searchParams.get('state'), 'state-xyz');
      assert.equal(url.searchParams.get('client_id'), 'client-1');
      assert.equal(url.searchParams.get('redirect_uri') ?? redirectUri, redirectUri);
      assert.equal(url.searchParams.get('response_type'), 'code');
      const scope = url.searchParams.get('scope');
      if (scope !== null) assert.ok(scope.split(/[ ,]/).includes('extra.scope'), scope);
    });
  }

  test('oidc sends PKCE with S256', async () => {
    const configured = configureProvider('oidc', { appId: 'client-1', secret: '', extra: EXTRA, redirectUri: REDIRECT });
    const url = await configured.client.authorizationUrl('s', 'v'.repeat(43), configured.scopes([]));
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.ok((url.searchParams.get('code_challenge') ?? '').length >= 43);
    assert.deepEqual(url.searchParams.get('scope')!.split(' '), ['openid', 'email', 'profile']);
  });

  test('the providers arctic lacks are reported unsupported', () => {
    const unsupported = OAUTH2_PROVIDER_IDS.filter((provider) => !isSupportedProvider(provider));
    assert.deepEqual(unsupported, [
      'amazon', 'bitly', 'dailymotion', 'disqus', 'fusionauth', 'paypal', 'paypalSandbox', 'podio', 'stripe',
      'tradeshift', 'tradeshiftBox', 'wordpress', 'yammer', 'zoho', 'mock',
    ]);
    assert.throws(() => configureProvider('amazon', { appId: 'a', secret: 'b', extra: {}, redirectUri: REDIRECT }), { type: 'project_provider_unsupported' });
  });
});
