import {
  isOAuth2ProviderId,
  listOAuth2Providers,
  OAUTH2_PROVIDER_IDS,
  updateOAuth2Provider,
  type OAuth2Extra,
  type OAuth2ProviderChanges,
} from '../services/projects/index.js';
import type { CliContext } from './context.js';
import { optionalFlag, requiredFlag, type Flags } from './flags.js';
import { printResult, UsageError } from './output.js';
import { withServices } from './with-services.js';

/** `--extra tenant=contoso,endpoint=https://id.example.com`: provider settings beside id and secret. */
function readExtra(flags: Flags): OAuth2Extra {
  const extra: OAuth2Extra = {};
  const raw = optionalFlag(flags, 'extra');
  if (raw) {
    for (const pair of raw.split(',')) {
      const at = pair.indexOf('=');
      if (at <= 0) throw new UsageError(`--extra takes key=value pairs separated by commas, got "${pair}"`);
      extra[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
    }
  }
  const wellKnown = optionalFlag(flags, 'well-known');
  if (wellKnown !== undefined) extra.wellKnownURL = wellKnown;
  return extra;
}

/** Sets a project's OAuth2 provider credentials; `--disable` turns the provider off and keeps them. */
export async function oauthSet(flags: Flags, cli: CliContext): Promise<void> {
  const projectId = requiredFlag(flags, 'project');
  const provider = requiredFlag(flags, 'provider');
  if (!isOAuth2ProviderId(provider)) throw new UsageError(`--provider must be one of ${OAUTH2_PROVIDER_IDS.join(', ')}`);
  const changes: OAuth2ProviderChanges = { enabled: flags.disable !== true, extra: readExtra(flags) };
  const clientId = optionalFlag(flags, 'client-id');
  const clientSecret = optionalFlag(flags, 'client-secret');
  if (clientId !== undefined) changes.appId = clientId;
  if (clientSecret !== undefined) changes.secret = clientSecret;
  const summary = await withServices(cli, (deps) => updateOAuth2Provider(deps, projectId, provider, changes));
  printResult(cli, flags.json === true, summary, () => `${summary.provider} ${summary.enabled ? 'enabled' : 'disabled'} for ${projectId} (client id ${summary.appId || 'unset'})`);
}

/** Lists the providers a project configured (all of them with `--json`). */
export async function oauthList(flags: Flags, cli: CliContext): Promise<void> {
  const projectId = requiredFlag(flags, 'project');
  const providers = await withServices(cli, (deps) => listOAuth2Providers(deps, projectId));
  const configured = providers.filter((entry) => entry.enabled || entry.appId !== '');
  printResult(cli, flags.json === true, providers, () =>
    configured.length === 0
      ? 'No OAuth2 providers configured.'
      : configured
          .map((entry) => `${entry.provider}\t${entry.enabled ? 'enabled' : 'disabled'}\t${entry.appId}\t${entry.secretSet ? 'secret set' : 'no secret'}\t${JSON.stringify(entry.extra)}`)
          .join('\n'),
  );
}
