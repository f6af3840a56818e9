import { AppError } from '../../core/errors.js';
import type { ApiOAuth2ProviderId } from './oauth2-fields.js';
import type { OAuth2ProviderChanges, OAuth2ProviderSummary } from './oauth2-providers.js';

/**
 * Providers whose credentials Appwrite tries against the provider itself before switching them
 * on. Plinth does not call the provider, so it takes them when asked to enable and never enables
 * them on its own (where Appwrite would, for credentials the provider accepts).
 */
const CHECKED_WITH_PROVIDER: ReadonlySet<ApiOAuth2ProviderId> = new Set(['authentik', 'fusionauth', 'github', 'keycloak', 'microsoft']);

/** Providers whose settings Appwrite stores inside the secret, so that any of them counts as one. */
const SETTINGS_IN_SECRET: ReadonlySet<ApiOAuth2ProviderId> = new Set(['apple', 'oidc']);

/**
 * The change `PATCH /project/oauth2/<provider>` makes, under Appwrite's rules for switching a
 * provider on: enabling needs a client id and a secret (and for OpenID Connect a well-known URL,
 * or the three endpoint URLs); a change that leaves `enabled` out switches on a provider whose
 * id and secret are then set.
 */
export function withEnablingRules(provider: ApiOAuth2ProviderId, current: OAuth2ProviderSummary, changes: OAuth2ProviderChanges): OAuth2ProviderChanges {
  if (changes.enabled === false) return changes;
  const extra = { ...current.extra, ...changes.extra };
  const has = (key: string) => Boolean(extra[key]);
  if (provider === 'oidc' && changes.enabled === true && !has('wellKnownURL') && !(has('authorizationURL') && has('tokenURL') && has('userInfoURL'))) {
    throw new AppError('general_argument_invalid', 'Enabling OpenID Connect requires either wellKnownURL, or all of authorizationURL, tokenURL, and userInfoURL.');
  }
  const appId = changes.appId ?? current.appId;
  const secretSet = changes.secret !== undefined ? changes.secret !== '' : current.secretSet;
  const hasSecret = secretSet || (SETTINGS_IN_SECRET.has(provider) && Object.values(extra).some(Boolean));
  if (!appId || !hasSecret) {
    if (changes.enabled === true) {
      throw new AppError('general_argument_invalid', 'Could not enable OAuth2 provider: Client ID and Client Secret are required when enabling OAuth2 provider.');
    }
    return changes;
  }
  if (changes.enabled === undefined && !CHECKED_WITH_PROVIDER.has(provider)) return { ...changes, enabled: true };
  return changes;
}
