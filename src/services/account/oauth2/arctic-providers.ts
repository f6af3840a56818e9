import { AppError } from '../../../core/errors.js';
import { arctic } from './arctic.js';
import {
  fetchProviderJson as get,
  profileFromClaims,
  text,
  withoutScopes,
  withPkce,
  withScopes,
  type ClientSettings,
  type OAuth2Client,
  type ProviderProfile,
  type ProviderTokens,
} from './provider.js';

/** How one provider is built from a project's settings, and what it asks for by default. */
export interface ArcticProvider {
  /** Scopes always requested, before the ones the app adds. */
  scopes: string[];
  build(settings: ClientSettings): OAuth2Client;
}

/** A host name from a setting that may carry a scheme or a trailing slash (`https://x.auth0.com/`). */
function bareHost(value: string | undefined, name: string): string {
  const host = (value ?? '').replace(/^https?:\/\//, '').replace(/\/+$/, '');
  if (host === '') throw new AppError('project_provider_disabled', `The provider needs its \`${name}\` setting.`);
  return host;
}

/** A base URL from a setting, https assumed when no scheme is given. */
function baseUrl(value: string | undefined, name: string, fallback?: string): string {
  const raw = (value ?? '').trim() || fallback || '';
  if (raw === '') throw new AppError('project_provider_disabled', `The provider needs its \`${name}\` setting.`);
  return (/^https?:\/\//.test(raw) ? raw : `https://${raw}`).replace(/\/+$/, '');
}

const oidcUserInfo = (url: (settings: ClientSettings) => string) => async (tokens: ProviderTokens, settings: ClientSettings) =>
  profileFromClaims(await get(url(settings), tokens.accessToken));

/** Providers that return an ID token: its claims are read without a signature check, as it came straight from the token endpoint over TLS. */
async function fromIdToken(tokens: ProviderTokens): Promise<ProviderProfile> {
  if (!tokens.idToken) throw new AppError('user_oauth2_provider_error', 'The OAuth2 provider returned no ID token.');
  return profileFromClaims(arctic.decodeIdToken(tokens.idToken) as Record<string, unknown>);
}

/** Apple's key arrives as PEM (or Appwrite's JSON holding `p8`); arctic wants the PKCS#8 bytes. */
function applePrivateKey(secret: string): Uint8Array {
  let pem = secret;
  if (secret.trim().startsWith('{')) pem = String((JSON.parse(secret) as { p8?: unknown }).p8 ?? '');
  const base64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

export const ARCTIC_PROVIDERS: Readonly<Record<string, ArcticProvider>> = {
  apple: {
    scopes: ['name', 'email'],
    build: (s) => {
      const client = new arctic.Apple(s.appId, s.extra.teamId ?? '', s.extra.keyId ?? '', applePrivateKey(s.secret), s.redirectUri);
      const base = withScopes(client, fromIdToken, s);
      // Apple only shares name and email with a form POST back to the redirect URI.
      return { ...base, authorizationUrl: async (state, verifier, scopes) => {
        const url = await base.authorizationUrl(state, verifier, scopes);
        if (scopes.length > 0) url.searchParams.set('response_mode', 'form_post');
        return url;
      } };
    },
  },
  auth0: {
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    build: (s) => withPkce(new arctic.Auth0(bareHost(s.extra.endpoint, 'endpoint'), s.appId, s.secret, s.redirectUri), oidcUserInfo((x) => `https://${bareHost(x.extra.endpoint, 'endpoint')}/userinfo`), s),
  },
  authentik: {
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    build: (s) => withPkce(new arctic.Authentik(baseUrl(s.extra.endpoint, 'endpoint'), s.appId, s.secret, s.redirectUri), oidcUserInfo((x) => `${baseUrl(x.extra.endpoint, 'endpoint')}/application/o/userinfo/`), s),
  },
  autodesk: {
    scopes: ['user-profile:read'],
    build: (s) => withPkce(new arctic.Autodesk(s.appId, s.secret, s.redirectUri), oidcUserInfo(() => 'https://api.userprofile.autodesk.com/userinfo'), s),
  },
  bitbucket: {
    scopes: [],
    build: (s) => withoutScopes(new arctic.Bitbucket(s.appId, s.secret, s.redirectUri), async (tokens) => {
      const user = await get('https://api.bitbucket.org/2.0/user', tokens.accessToken);
      const emails = await get('https://api.bitbucket.org/2.0/user/emails', tokens.accessToken);
      const list = (emails.values as { email: string; is_primary: boolean; is_confirmed: boolean }[] | undefined) ?? [];
      const primary = list.find((entry) => entry.is_primary) ?? list[0];
      return { id: text(user.uuid), email: primary?.email ?? '', emailVerified: primary?.is_confirmed ?? false, name: text(user.display_name) };
    }, s),
  },
  box: {
    scopes: [],
    build: (s) => withScopes(new arctic.Box(s.appId, s.secret, s.redirectUri), async (tokens) => {
      const user = await get('https://api.box.com/2.0/users/me', tokens.accessToken);
      return { id: text(user.id), email: text(user.login), emailVerified: true, name: text(user.name) };
    }, s),
  },
  discord: {
    scopes: ['identify', 'email'],
    build: (s) => withPkce(new arctic.Discord(s.appId, s.secret, s.redirectUri), async (tokens) => {
      const user = await get('https://discord.com/api/users/@me', tokens.accessToken);
      return { id: text(user.id), email: text(user.email), emailVerified: user.verified === true, name: text(user.global_name) || text(user.username) };
    }, s),
  },
  dropbox: {
    scopes: ['account_info.read'],
    build: (s) => withScopes(new arctic.Dropbox(s.appId, s.secret, s.redirectUri), async (tokens) => {
      const user = await get('https://api.dropboxapi.com/2/users/get_current_account', tokens.accessToken, { method: 'POST' });
      const name = (user.name as { display_name?: string } | undefined)?.display_name ?? '';
      return { id: text(user.account_id), email: text(user.email), emailVerified: user.email_verified === true, name };
    }, s),
  },
  etsy: {
    scopes: ['email_r'],
    build: (s) => withPkce(new arctic.Etsy(s.appId, s.redirectUri), async (tokens, x) => {
      const headers = { 'x-api-key': x.appId };
      const me = await get('https://openapi.etsy.com/v3/application/users/me', tokens.accessToken, { headers });
      const user = await get(`https://openapi.etsy.com/v3/application/users/${text(me.user_id)}`, tokens.accessToken, { headers });
      const name = [text(user.first_name), text(user.last_name)].filter(Boolean).join(' ');
      return { id: text(me.user_id), email: text(user.primary_email), emailVerified: true, name };
    }, s),
  },
  facebook: {
    scopes: ['email', 'public_profile'],
    build: (s) => withScopes(new arctic.Facebook(s.appId, s.secret, s.redirectUri), async (tokens) => {
      const user = await get('https://graph.facebook.com/me?fields=id,name,email', tokens.accessToken);
      return { id: text(user.id), email: text(user.email), emailVerified: true, name: text(user.name) };
    }, s),
  },
  figma: {
    scopes: ['current_user:read'],
    build: (s) => withScopes(new arctic.Figma(s.appId, s.secret, s.redirectUri), async (tokens) => {
      const user = await get('https://api.figma.com/v1/me', tokens.accessToken);
      return { id: text(user.id), email: text(user.email), emailVerified: true, name: text(user.handle) };
    }, s),
  },
  github: {
    scopes: ['user:email'],
    build: (s) => withScopes(new arctic.GitHub(s.appId, s.secret, s.redirectUri), async (tokens) => {
      const user = await get('https://api.github.com/user', tokens.accessToken);
      const emails = (await get('https://api.github.com/user/emails', tokens.accessToken)) as unknown as { email: string; primary: boolean; verified: boolean }[];
      const primary = (Array.isArray(emails) ? emails : []).find((entry) => entry.primary);
      return { id: text(user.id), email: primary?.email ?? text(user.email), emailVerified: primary?.verified ?? false, name: text(user.name) || text(user.login) };
    }, s),
  },
  gitlab: {
    scopes: ['read_user'],
    build: (s) => withScopes(new arctic.GitLab(baseUrl(s.extra.endpoint, 'endpoint', 'https://gitlab.com'), s.appId, s.secret, s.redirectUri), async (tokens, x) => {
      const user = await get(`${baseUrl(x.extra.endpoint, 'endpoint', 'https://gitlab.com')}/api/v4/user`, tokens.accessToken);
      return { id: text(user.id), email: text(user.email), emailVerified: user.confirmed_at !== null, name: text(user.name) };
    }, s),
  },
  google: {
    scopes: ['openid', 'email', 'profile'],
    build: (s) => {
      const client = withPkce(new arctic.Google(s.appId, s.secret, s.redirectUri), oidcUserInfo(() => 'https://openidconnect.googleapis.com/v1/userinfo'), s);
      // The project's `prompt` setting, `consent` unless set, as Appwrite sends it.
      return { ...client, authorizationUrl: async (state, verifier, scopes) => {
        const url = await client.authorizationUrl(state, verifier, scopes);
        url.searchParams.set('prompt', s.extra.prompt || 'consent');
        return url;
      } };
    },
  },
  keycloak: {
    scopes: ['openid', 'email', 'profile'],
    build: (s) => {
      const realm = `${baseUrl(s.extra.endpoint, 'endpoint')}/realms/${encodeURIComponent(s.extra.realmName ?? '')}`;
      return withPkce(new arctic.KeyCloak(realm, s.appId, s.secret, s.redirectUri), oidcUserInfo(() => `${realm}/protocol/openid-connect/userinfo`), s);
    },
  },
  kick: {
    scopes: ['user:read'],
    build: (s) => withPkce(new arctic.Kick(s.appId, s.secret, s.redirectUri), async (tokens) => {
      const body = await get('https://api.kick.com/public/v1/users', tokens.accessToken);
      const user = ((body.data as Record<string, unknown>[] | undefined) ?? [])[0] ?? {};
      return { id: text(user.user_id), email: text(user.email), emailVerified: true, name: text(user.name) };
    }, s),
  },
  linkedin: {
    scopes: ['openid', 'profile', 'email'],
    build: (s) => withScopes(new arctic.LinkedIn(s.appId, s.secret, s.redirectUri), oidcUserInfo(() => 'https://api.linkedin.com/v2/userinfo'), s),
  },
  microsoft: {
    scopes: ['openid', 'email', 'profile', 'offline_access', 'User.Read'],
    build: (s) => withPkce(new arctic.MicrosoftEntraId(s.extra.tenant || 'common', s.appId, s.secret, s.redirectUri), async (tokens) => {
      const user = await get('https://graph.microsoft.com/v1.0/me', tokens.accessToken);
      return { id: text(user.id), email: text(user.mail) || text(user.userPrincipalName), emailVerified: true, name: text(user.displayName) };
    }, s),
  },
  notion: {
    scopes: [],
    build: (s) => withoutScopes(new arctic.Notion(s.appId, s.secret, s.redirectUri), async (tokens) => {
      const bot = await get('https://api.notion.com/v1/users/me', tokens.accessToken, { headers: { 'Notion-Version': '2022-06-28' } });
      const owner = ((bot.bot as { owner?: { user?: Record<string, unknown> } } | undefined)?.owner?.user ?? {});
      const email = text((owner.person as { email?: unknown } | undefined)?.email);
      return { id: text(owner.id), email, emailVerified: true, name: text(owner.name) };
    }, s),
  },
  okta: {
    scopes: ['openid', 'email', 'profile', 'offline_access'],
    build: (s) => {
      const domain = bareHost(s.extra.domain, 'domain');
      const server = s.extra.authorizationServerId || null;
      const info = `https://${domain}/oauth2${server ? `/${server}` : ''}/v1/userinfo`;
      return withPkce(new arctic.Okta(domain, server, s.appId, s.secret, s.redirectUri), oidcUserInfo(() => info), s);
    },
  },
  salesforce: {
    scopes: ['openid', 'email', 'profile', 'refresh_token'],
    build: (s) => {
      const domain = bareHost(s.extra.domain || 'login.salesforce.com', 'domain');
      return withPkce(new arctic.Salesforce(domain, s.appId, s.secret, s.redirectUri), async (tokens) => {
        const claims = await get(`https://${domain}/services/oauth2/userinfo`, tokens.accessToken);
        return { ...profileFromClaims(claims), id: text(claims.user_id) || text(claims.sub) };
      }, s);
    },
  },
  slack: {
    scopes: ['openid', 'email', 'profile'],
    build: (s) => withScopes(new arctic.Slack(s.appId, s.secret, s.redirectUri), oidcUserInfo(() => 'https://slack.com/api/openid.connect.userInfo'), s),
  },
  spotify: {
    scopes: ['user-read-email'],
    build: (s) => withPkce(new arctic.Spotify(s.appId, s.secret, s.redirectUri), async (tokens) => {
      const user = await get('https://api.spotify.com/v1/me', tokens.accessToken);
      return { id: text(user.id), email: text(user.email), emailVerified: true, name: text(user.display_name) };
    }, s),
  },
  twitch: {
    scopes: ['user:read:email'],
    build: (s) => withScopes(new arctic.Twitch(s.appId, s.secret, s.redirectUri), async (tokens, x) => {
      const body = await get('https://api.twitch.tv/helix/users', tokens.accessToken, { headers: { 'Client-Id': x.appId } });
      const user = ((body.data as Record<string, unknown>[] | undefined) ?? [])[0] ?? {};
      return { id: text(user.id), email: text(user.email), emailVerified: true, name: text(user.display_name) };
    }, s),
  },
  x: {
    scopes: ['users.read', 'tweet.read', 'offline.access'],
    build: (s) => withPkce(new arctic.Twitter(s.appId, s.secret, s.redirectUri), async (tokens) => {
      const body = await get('https://api.x.com/2/users/me', tokens.accessToken);
      const user = (body.data as Record<string, unknown> | undefined) ?? {};
      // X shares no email address with this API.
      return { id: text(user.id), email: '', emailVerified: false, name: text(user.name) };
    }, s),
  },
  yahoo: {
    scopes: ['openid', 'email', 'profile'],
    build: (s) => withScopes(new arctic.Yahoo(s.appId, s.secret, s.redirectUri), oidcUserInfo(() => 'https://api.login.yahoo.com/openid/v1/userinfo'), s),
  },
  yandex: {
    scopes: ['login:email', 'login:info'],
    build: (s) => withScopes(new arctic.Yandex(s.appId, s.secret, s.redirectUri), async (tokens) => {
      const user = await get('https://login.yandex.ru/info?format=json', tokens.accessToken, { headers: { Authorization: `OAuth ${tokens.accessToken}` } });
      return { id: text(user.id), email: text(user.default_email), emailVerified: true, name: text(user.real_name) || text(user.display_name) };
    }, s),
  },
  zoom: {
    scopes: ['user:read:user'],
    build: (s) => withPkce(new arctic.Zoom(s.appId, s.secret, s.redirectUri), async (tokens) => {
      const user = await get('https://api.zoom.us/v2/users/me', tokens.accessToken);
      const name = text(user.display_name) || [text(user.first_name), text(user.last_name)].filter(Boolean).join(' ');
      return { id: text(user.id), email: text(user.email), emailVerified: user.verified !== 0, name };
    }, s),
  },
};
