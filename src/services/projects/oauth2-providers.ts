import { decryptValue, encryptValue } from '../../core/crypto.js';
import { AppError } from '../../core/errors.js';
import { findProject } from '../../data/platform/projects.js';
import { readProjectSetting, readProjectSettings, writeProjectSetting } from '../../data/platform/settings.js';
import type { ServiceDeps } from '../deps.js';

/**
 * OAuth2 provider credentials of a project, shared by the account service (sign-in), the
 * project API and the CLI. Stored as the project setting `oauth2:<provider>`; the client
 * secret is encrypted with the server key and never leaves this file in clear except to
 * the sign-in code.
 */

/** Provider ids as Appwrite names them (its API enum, plus `mock` of its test suite). */
export const OAUTH2_PROVIDER_IDS = [
  'amazon', 'apple', 'auth0', 'authentik', 'autodesk', 'bitbucket', 'bitly', 'box', 'dailymotion', 'discord',
  'disqus', 'dropbox', 'etsy', 'facebook', 'figma', 'fusionauth', 'github', 'gitlab', 'google', 'keycloak',
  'kick', 'linkedin', 'microsoft', 'notion', 'oidc', 'okta', 'paypal', 'paypalSandbox', 'podio', 'salesforce',
  'slack', 'spotify', 'stripe', 'tradeshift', 'tradeshiftBox', 'twitch', 'wordpress', 'x', 'yahoo', 'yammer',
  'yandex', 'zoho', 'zoom', 'mock',
] as const;
export type OAuth2ProviderId = (typeof OAUTH2_PROVIDER_IDS)[number];

export function isOAuth2ProviderId(value: string): value is OAuth2ProviderId {
  return (OAUTH2_PROVIDER_IDS as readonly string[]).includes(value);
}

/**
 * Provider-specific settings beside the client id and secret, named as the project API
 * names them: `endpoint` (auth0, authentik, fusionauth, gitlab, keycloak), `realmName`
 * (keycloak), `tenant` (microsoft), `domain` and `authorizationServerId` (okta), `keyId`
 * and `teamId` (apple, whose secret is the .p8 key), and for `oidc` `wellKnownURL`,
 * `authorizationURL`, `tokenURL`, `userInfoURL`.
 */
export type OAuth2Extra = Record<string, string>;

/** What the sign-in code needs; the secret is in clear. */
export interface OAuth2Credentials {
  provider: OAuth2ProviderId;
  enabled: boolean;
  appId: string;
  secret: string;
  extra: OAuth2Extra;
}

/** What the project API and CLI show: never the secret, only whether one is set. */
export interface OAuth2ProviderSummary {
  provider: OAuth2ProviderId;
  enabled: boolean;
  appId: string;
  secretSet: boolean;
  extra: OAuth2Extra;
}

export interface OAuth2ProviderChanges {
  enabled?: boolean;
  appId?: string;
  /** The secret in clear; an empty string clears it. */
  secret?: string;
  /** Merged into the stored extra settings; an empty value removes a key. */
  extra?: OAuth2Extra;
}

interface StoredProvider {
  enabled: boolean;
  appId: string;
  /** Encrypted, or empty. */
  secret: string;
  extra: OAuth2Extra;
}

const SETTING_PREFIX = 'oauth2:';

export function oauth2SettingName(provider: OAuth2ProviderId): string {
  return `${SETTING_PREFIX}${provider}`;
}

function asStored(value: unknown): StoredProvider | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const raw = value as Partial<StoredProvider>;
  const extra: OAuth2Extra = {};
  for (const [key, item] of Object.entries(raw.extra ?? {})) if (typeof item === 'string') extra[key] = item;
  return {
    enabled: raw.enabled === true,
    appId: typeof raw.appId === 'string' ? raw.appId : '',
    secret: typeof raw.secret === 'string' ? raw.secret : '',
    extra,
  };
}

function assertProvider(provider: string): asserts provider is OAuth2ProviderId {
  if (!isOAuth2ProviderId(provider)) {
    throw new AppError('general_argument_invalid', `Invalid \`provider\` param: Value must be one of (${OAUTH2_PROVIDER_IDS.join(', ')})`);
  }
}

/** A provider's credentials with the secret decrypted; undefined when never configured. */
export async function readOAuth2Credentials(deps: ServiceDeps, projectId: string, provider: OAuth2ProviderId): Promise<OAuth2Credentials | undefined> {
  const stored = asStored(await readProjectSetting(deps.db.platform, projectId, oauth2SettingName(provider)));
  if (!stored) return undefined;
  return { provider, enabled: stored.enabled, appId: stored.appId, secret: stored.secret === '' ? '' : decryptValue(deps.secretKey, stored.secret), extra: stored.extra };
}

/** Changes a provider's credentials, keeping what the change does not mention; returns the summary. */
export async function updateOAuth2Provider(
  deps: ServiceDeps,
  projectId: string,
  provider: string,
  changes: OAuth2ProviderChanges,
): Promise<OAuth2ProviderSummary> {
  assertProvider(provider);
  if (!(await findProject(deps.db.platform, projectId))) throw new AppError('project_not_found');
  const name = oauth2SettingName(provider);
  const current = asStored(await readProjectSetting(deps.db.platform, projectId, name)) ?? { enabled: false, appId: '', secret: '', extra: {} };
  const extra = { ...current.extra };
  for (const [key, value] of Object.entries(changes.extra ?? {})) {
    if (value === '') delete extra[key];
    else extra[key] = value;
  }
  const next: StoredProvider = {
    enabled: changes.enabled ?? current.enabled,
    appId: changes.appId ?? current.appId,
    secret: changes.secret === undefined ? current.secret : changes.secret === '' ? '' : encryptValue(deps.secretKey, changes.secret),
    extra,
  };
  await writeProjectSetting(deps.db.platform, projectId, name, next);
  return summarise(provider, next);
}

/** Every provider id with its state; unconfigured ones show as disabled. */
export async function listOAuth2Providers(deps: ServiceDeps, projectId: string): Promise<OAuth2ProviderSummary[]> {
  return summariseOAuth2Settings(await readProjectSettings(deps.db.platform, projectId));
}

/** The same list from settings already read, as the project model has them. */
export function summariseOAuth2Settings(settings: ReadonlyMap<string, unknown>): OAuth2ProviderSummary[] {
  return OAUTH2_PROVIDER_IDS.map((provider) => {
    const stored = asStored(settings.get(oauth2SettingName(provider))) ?? { enabled: false, appId: '', secret: '', extra: {} };
    return summarise(provider, stored);
  });
}

export async function getOAuth2Provider(deps: ServiceDeps, projectId: string, provider: string): Promise<OAuth2ProviderSummary> {
  assertProvider(provider);
  const stored = asStored(await readProjectSetting(deps.db.platform, projectId, oauth2SettingName(provider))) ?? { enabled: false, appId: '', secret: '', extra: {} };
  return summarise(provider, stored);
}

function summarise(provider: OAuth2ProviderId, stored: StoredProvider): OAuth2ProviderSummary {
  return { provider, enabled: stored.enabled, appId: stored.appId, secretSet: stored.secret !== '', extra: stored.extra };
}
