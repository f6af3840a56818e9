import { AppError } from '../../../core/errors.js';
import type { OAuth2ProviderId } from '../../projects/index.js';
import { ARCTIC_PROVIDERS } from './arctic-providers.js';
import { buildOidcClient, OIDC_SCOPES } from './oidc.js';
import type { ClientSettings, OAuth2Client } from './provider.js';

/**
 * Which of Appwrite's provider ids Plinth can sign in with: those arctic implements, and
 * `oidc`. The others (amazon, bitly, dailymotion, disqus, fusionauth, paypal, paypalSandbox,
 * podio, stripe, tradeshift, tradeshiftBox, wordpress, yammer, zoho, mock) are refused.
 */
export function isSupportedProvider(provider: OAuth2ProviderId): boolean {
  return provider === 'oidc' || provider in ARCTIC_PROVIDERS;
}

export const SUPPORTED_PROVIDERS: readonly string[] = ['oidc', ...Object.keys(ARCTIC_PROVIDERS)];

export interface ConfiguredProvider {
  client: OAuth2Client;
  /** The provider's own scopes first, then the app's, without repeats. */
  scopes(requested: readonly string[]): string[];
}

export function configureProvider(provider: OAuth2ProviderId, settings: ClientSettings): ConfiguredProvider {
  const entry = provider === 'oidc' ? { scopes: OIDC_SCOPES, build: buildOidcClient } : ARCTIC_PROVIDERS[provider];
  if (!entry) throw new AppError('project_provider_unsupported');
  return {
    client: entry.build(settings),
    scopes: (requested) => [...new Set([...entry.scopes, ...requested])],
  };
}
