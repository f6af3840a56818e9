import { AppError } from '../../core/errors.js';
import type { OAuth2ProviderChanges, OAuth2ProviderId, OAuth2ProviderSummary } from './oauth2-providers.js';

/**
 * How each provider of the project API names its settings. Every `PATCH /project/oauth2/<id>`
 * body and every `oAuth2<Provider>` model uses provider-specific field names for the same
 * three things the store keeps: the client id (`appId`), the secret, and extra settings.
 * The routes and models are generated from this one table.
 */

export interface OAuth2ExtraField {
  /** The request and response field, as server.json names it. */
  field: string;
  /** The key in the stored `extra` settings, as the sign-in code reads it. */
  key: string;
  /** Another accepted request name, also echoed in responses (node-appwrite 27.1 spells OIDC's URLs `tokenURL`, `userInfoURL`). */
  alias?: string;
  /** Must be empty or an http(s) URL. */
  url?: boolean;
  /** Shown when unset: what sign-in falls back to. */
  fallback?: string;
  /** A list of these values (stored space-separated) rather than one text. */
  choices?: readonly string[];
}

export interface OAuth2ProviderFields {
  /** Display name, for the project model's `oAuthProviders`. */
  name: string;
  /** The field holding the client id (stored as `appId`). */
  clientId: string;
  /** The field holding the secret (stored encrypted); always answered empty. */
  secret: string;
  /** The secret's longest accepted value, when not Appwrite's usual 512 characters (Apple's .p8 key file). */
  secretMax?: number;
  extra: readonly OAuth2ExtraField[];
}

const standard = (name: string, ...extra: OAuth2ExtraField[]): OAuth2ProviderFields => ({ name, clientId: 'clientId', secret: 'clientSecret', extra });
const named = (name: string, clientId: string, secret: string): OAuth2ProviderFields => ({ name, clientId, secret, extra: [] });
const endpoint: OAuth2ExtraField = { field: 'endpoint', key: 'endpoint' };

/** The providers of the project API, in the spec's order, with their field names. */
export const OAUTH2_FIELDS = {
  amazon: standard('Amazon'),
  apple: {
    name: 'Apple',
    clientId: 'serviceId',
    // The .p8 key is what signs Apple's client secret, so it is stored as the secret.
    secret: 'p8File',
    secretMax: 4096,
    extra: [{ field: 'keyId', key: 'keyId' }, { field: 'teamId', key: 'teamId' }],
  },
  auth0: standard('Auth0', endpoint),
  authentik: standard('Authentik', endpoint),
  autodesk: standard('Autodesk'),
  bitbucket: named('Bitbucket', 'key', 'secret'),
  bitly: standard('Bitly'),
  box: standard('Box'),
  dailymotion: named('Dailymotion', 'apiKey', 'apiSecret'),
  discord: standard('Discord'),
  disqus: named('Disqus', 'publicKey', 'secretKey'),
  dropbox: named('Dropbox', 'appKey', 'appSecret'),
  etsy: named('Etsy', 'keyString', 'sharedSecret'),
  facebook: named('Facebook', 'appId', 'appSecret'),
  figma: standard('Figma'),
  fusionauth: standard('FusionAuth', endpoint),
  github: standard('GitHub'),
  gitlab: { name: 'GitLab', clientId: 'applicationId', secret: 'secret', extra: [{ ...endpoint, url: true, fallback: 'https://gitlab.com' }] },
  google: standard('Google', { field: 'prompt', key: 'prompt', choices: ['none', 'consent', 'select_account'], fallback: 'consent' }),
  keycloak: standard('Keycloak', endpoint, { field: 'realmName', key: 'realmName' }),
  kick: standard('Kick'),
  linkedin: named('LinkedIn', 'clientId', 'primaryClientSecret'),
  microsoft: { name: 'Microsoft', clientId: 'applicationId', secret: 'applicationSecret', extra: [{ field: 'tenant', key: 'tenant', fallback: 'common' }] },
  notion: named('Notion', 'oauthClientId', 'oauthClientSecret'),
  oidc: standard(
    'OpenID Connect',
    { field: 'wellKnownURL', key: 'wellKnownURL', url: true },
    { field: 'authorizationURL', key: 'authorizationURL', url: true },
    { field: 'tokenUrl', key: 'tokenURL', alias: 'tokenURL', url: true },
    { field: 'userInfoUrl', key: 'userInfoURL', alias: 'userInfoURL', url: true },
  ),
  okta: standard('Okta', { field: 'domain', key: 'domain' }, { field: 'authorizationServerId', key: 'authorizationServerId' }),
  paypal: named('PayPal', 'clientId', 'secretKey'),
  paypalSandbox: named('PayPal Sandbox', 'clientId', 'secretKey'),
  podio: standard('Podio'),
  salesforce: named('Salesforce', 'customerKey', 'customerSecret'),
  slack: standard('Slack'),
  spotify: standard('Spotify'),
  stripe: named('Stripe', 'clientId', 'apiSecretKey'),
  tradeshift: named('Tradeshift', 'oauth2ClientId', 'oauth2ClientSecret'),
  tradeshiftBox: named('Tradeshift Sandbox', 'oauth2ClientId', 'oauth2ClientSecret'),
  twitch: standard('Twitch'),
  wordpress: standard('WordPress'),
  x: named('X', 'customerKey', 'secretKey'),
  yahoo: standard('Yahoo'),
  yandex: standard('Yandex'),
  zoho: standard('Zoho'),
  zoom: standard('Zoom'),
} as const satisfies Partial<Record<OAuth2ProviderId, OAuth2ProviderFields>>;

export type ApiOAuth2ProviderId = keyof typeof OAUTH2_FIELDS;

export const API_OAUTH2_PROVIDER_IDS = Object.keys(OAUTH2_FIELDS) as [ApiOAuth2ProviderId, ...ApiOAuth2ProviderId[]];

export function isApiOAuth2ProviderId(value: string): value is ApiOAuth2ProviderId {
  return Object.hasOwn(OAUTH2_FIELDS, value);
}

function fieldsOf(provider: ApiOAuth2ProviderId): OAuth2ProviderFields {
  return OAUTH2_FIELDS[provider];
}

/** Appwrite's limits: 256 characters for ids and settings, 512 for secrets. */
const FIELD_MAX = 256;
const SECRET_MAX = 512;

export interface OAuth2RequestField {
  name: string;
  url: boolean;
  max: number;
  choices?: readonly string[];
}

/** Every field name a provider's PATCH body accepts besides `enabled`, with its longest value, whether it must be a URL, or its choices. */
export function requestFieldsOf(provider: ApiOAuth2ProviderId): OAuth2RequestField[] {
  const fields: OAuth2ProviderFields = fieldsOf(provider);
  const names: OAuth2RequestField[] = [
    { name: fields.clientId, url: false, max: FIELD_MAX },
    { name: fields.secret, url: false, max: fields.secretMax ?? SECRET_MAX },
  ];
  for (const extra of fields.extra) {
    const shape = { url: extra.url === true, max: FIELD_MAX, ...(extra.choices ? { choices: extra.choices } : {}) };
    names.push({ name: extra.field, ...shape });
    if (extra.alias) names.push({ name: extra.alias, ...shape });
  }
  return names;
}

/** A PATCH body in the provider's field names → the store's change; absent and null fields keep their value. */
export function toProviderChanges(provider: ApiOAuth2ProviderId, body: Readonly<Record<string, unknown>>): OAuth2ProviderChanges {
  const fields = fieldsOf(provider);
  const text = (name: string | undefined) => (name !== undefined && typeof body[name] === 'string' ? (body[name] as string) : undefined);
  const changes: OAuth2ProviderChanges = {};
  if (typeof body.enabled === 'boolean') changes.enabled = body.enabled;
  const appId = text(fields.clientId);
  if (appId !== undefined) changes.appId = appId;
  const secret = text(fields.secret);
  if (secret !== undefined) changes.secret = secret;
  for (const extra of fields.extra) {
    // The SDK's spelling wins when a caller sends both.
    const value = extra.choices ? choiceList(body[extra.field]) : (text(extra.alias) ?? text(extra.field));
    if (value !== undefined) (changes.extra ??= {})[extra.key] = value;
  }
  return changes;
}

/**
 * A list setting (Google's `prompt`) as stored, space-separated as the provider takes it. As in
 * Appwrite, the list may not be empty, and `none` stands alone.
 */
function choiceList(value: unknown): string | undefined {
  if (!Array.isArray(value)) return undefined;
  if (value.length === 0) throw new AppError('general_argument_invalid', 'Prompt array cannot be empty.');
  if (value.includes('none') && value.length > 1) {
    throw new AppError('general_argument_invalid', 'When "none" is used as a prompt value, it must be the only element in the array.');
  }
  return value.join(' ');
}

/** The `oAuth2<Provider>` model: `$id`, `enabled` and the provider's own fields; the secret is always empty. */
export type OAuth2ProviderModel = { $id: string; enabled: boolean } & Record<string, string | boolean | string[]>;

export function toOAuth2ProviderModel(provider: ApiOAuth2ProviderId, summary: OAuth2ProviderSummary): OAuth2ProviderModel {
  const fields = fieldsOf(provider);
  const model: OAuth2ProviderModel = { $id: provider, enabled: summary.enabled, [fields.clientId]: summary.appId, [fields.secret]: '' };
  for (const extra of fields.extra) {
    const stored = summary.extra[extra.key] || extra.fallback || '';
    const value = extra.choices ? stored.split(' ') : stored;
    model[extra.field] = value;
    if (extra.alias) model[extra.alias] = value;
  }
  return model;
}

/** server.json's `authProvider`, one per provider in the project model's `oAuthProviders`. */
export interface AuthProviderModel {
  key: string;
  name: string;
  appId: string;
  secret: string;
  enabled: boolean;
}

export function toAuthProviderModels(summaries: readonly OAuth2ProviderSummary[]): AuthProviderModel[] {
  const byId = new Map(summaries.map((summary) => [summary.provider as string, summary]));
  return API_OAUTH2_PROVIDER_IDS.map((provider) => {
    const summary = byId.get(provider);
    return { key: provider, name: fieldsOf(provider).name, appId: summary?.appId ?? '', secret: '', enabled: summary?.enabled ?? false };
  });
}

/** The console's `consoleOAuth2ProviderParameter`: one field of a provider's PATCH body. */
export interface OAuth2ProviderParameter {
  $id: string;
  name: string;
  example: string;
  hint: string;
}

/** `clientId` → `Client ID`, `wellKnownURL` → `Well Known URL`. */
function displayName(field: string): string {
  return field
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/^./, (first) => first.toUpperCase())
    .replace(/\bId\b/g, 'ID')
    .replace(/\bUrl\b/g, 'URL');
}

/** Every provider of the project API with the fields its settings take, for the console's forms. */
export function listOAuth2ProviderParameters(): { $id: ApiOAuth2ProviderId; parameters: OAuth2ProviderParameter[] }[] {
  return API_OAUTH2_PROVIDER_IDS.map((provider) => {
    const fields = fieldsOf(provider);
    const names = [fields.clientId, fields.secret, ...fields.extra.map((extra) => extra.field)];
    return { $id: provider, parameters: names.map((name) => ({ $id: name, name: displayName(name), example: '', hint: '' })) };
  });
}
