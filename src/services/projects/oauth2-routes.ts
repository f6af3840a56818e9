import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import type { ServiceDeps } from '../deps.js';
import { AppError } from '../../core/errors.js';
import {
  API_OAUTH2_PROVIDER_IDS,
  isApiOAuth2ProviderId,
  requestFieldsOf,
  toOAuth2ProviderModel,
  toProviderChanges,
  type ApiOAuth2ProviderId,
  type OAuth2ProviderModel,
} from './oauth2-fields.js';
import { withEnablingRules } from './oauth2-enabling.js';
import { listOAuth2ProviderModels } from './oauth2-list.js';
import { getOAuth2Provider, isOAuth2ProviderId, updateOAuth2Provider } from './oauth2-providers.js';
import { listQuerystring } from './platforms-routes.js';

const read = { scope: 'oauth2.read' };
const write = { scope: 'oauth2.write' };

const text = (max: number) =>
  z
    .string({ error: `Value must be a valid string and no longer than ${max} chars` })
    .max(max, `Value must be a valid string and no longer than ${max} chars`)
    .nullish();
const url = text(2000).refine((value) => !value || (/^https?:\/\//i.test(value) && URL.canParse(value)), 'Value must be a valid URL');

/** Up to three of the given values, in Appwrite's words when refused. */
const choices = (values: readonly string[]) => {
  const refusal = `Value must a valid array no longer than 3 items and Value must be one of (${values.join(', ')})`;
  return z.array(z.enum(values as [string, ...string[]], { error: refusal }), { error: refusal }).max(3, refusal).nullish();
};

/** A provider's PATCH body: its own field names (from the table), each optional, and `enabled`. */
function patchBody(provider: ApiOAuth2ProviderId) {
  const shape: Record<string, z.ZodType> = { enabled: z.boolean({ error: 'Value must be a valid boolean' }).nullish() };
  for (const field of requestFieldsOf(provider)) shape[field.name] = field.choices ? choices(field.choices) : field.url ? url : text(field.max);
  return z.object(shape);
}

const providerParams = z.object({ provider: z.string() });

/** A provider of the project API; `mock` (known to sign-in, without settings of its own) is unsupported here, as in Appwrite. */
function apiProvider(provider: string): ApiOAuth2ProviderId {
  if (isApiOAuth2ProviderId(provider)) return provider;
  if (isOAuth2ProviderId(provider)) throw new AppError('project_provider_unsupported');
  throw new AppError('general_argument_invalid', `Invalid \`providerId\` param: Value must be one of (${API_OAUTH2_PROVIDER_IDS.join(', ')})`);
}

/** Project OAuth2 providers: one PATCH per provider, generated from the field table; secrets are write-only. */
export function oauth2Routes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.get(
      '/project/oauth2',
      { config: read, schema: { querystring: listQuerystring } },
      async (request) => listOAuth2ProviderModels(deps, request.ctx.projectId, request.query),
    );

    app.get(
      '/project/oauth2/:provider',
      { config: read, schema: { params: providerParams } },
      async (request) => {
        const provider = apiProvider(request.params.provider);
        return toOAuth2ProviderModel(provider, await getOAuth2Provider(deps, request.ctx.projectId, provider));
      },
    );

    for (const provider of API_OAUTH2_PROVIDER_IDS) {
      app.patch(
        `/project/oauth2/${provider}`,
        { config: write, schema: { body: patchBody(provider) } },
        async (request): Promise<OAuth2ProviderModel> => {
          const current = await getOAuth2Provider(deps, request.ctx.projectId, provider);
          const changes = withEnablingRules(provider, current, toProviderChanges(provider, request.body));
          const summary = await updateOAuth2Provider(deps, request.ctx.projectId, provider, changes);
          return toOAuth2ProviderModel(provider, summary);
        },
      );
    }
  };
}
