import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { defaultEmailTemplate, TEMPLATE_LOCALES, TEMPLATE_TYPES } from '../messages/index.js';
import { listOAuth2ProviderParameters } from '../projects/index.js';
import { isDomainDenied, isDomainTaken } from '../proxy/index.js';
import type { ServiceDeps } from '../deps.js';
import { AppError } from '../../core/errors.js';
import { assertDomainAllowed } from './resources.js';
import { listProjectScopes } from './scopes.js';
import { consoleVariables } from './variables.js';

const resourceQuery = z.object({
  value: z.string({ error: 'Value must be a valid string' }).min(1, 'Value must be a valid string and at least 1 chars').max(256, 'Value must be a valid string and no longer than 256 chars'),
  type: z.enum(['rules'], { error: 'Value must be one of (rules)' }),
});
const templateParams = z.object({ templateId: z.enum(TEMPLATE_TYPES, { error: `Value must be one of (${TEMPLATE_TYPES.join(', ')})` }) });
const templateQuery = z.object({ locale: z.enum(TEMPLATE_LOCALES, { error: 'Value must be one of the supported locales' }).optional() });

/** The console's own routes: what the server is configured with, and the lists its forms offer. */
export function consoleRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.get('/console/variables', { config: { scope: 'projects.read', console: {} } }, async () => consoleVariables(deps));
    app.get(
      '/console/resources',
      { config: { scope: 'rules.read', console: {} }, schema: { querystring: resourceQuery } },
      async (request, reply) => {
        assertDomainAllowed(deps, request.query.value);
        if (isDomainDenied(deps, request.query.value)) throw new AppError('general_argument_invalid', 'This domain name is not allowed. Please use a different domain.');
        if (await isDomainTaken(deps, request.query.value)) throw new AppError('resource_already_exists', 'This domain is already taken by another rule.');
        return reply.code(204).send();
      },
    );
    app.get('/console/scopes/project', { config: { scope: 'public' } }, async () => listProjectScopes());
    app.get('/console/oauth2-providers', { config: { scope: 'public' } }, async () => {
      const providers = listOAuth2ProviderParameters();
      return { total: providers.length, oAuth2Providers: providers };
    });
    app.get(
      '/console/templates/email/:templateId',
      { config: { scope: 'public' }, schema: { params: templateParams, querystring: templateQuery } },
      async (request) => defaultEmailTemplate(request.params.templateId, request.query.locale),
    );
  };
}
