import type { RoutePlugin } from '../../http/typed-routes.js';
import type { ServiceDeps } from '../deps.js';
import { consoleProjectRoutes } from './console-project-routes.js';
import { devKeyRoutes } from './dev-keys-routes.js';
import { keyRoutes } from './keys-routes.js';
import { legacyResourceRoutes } from './legacy-resource-routes.js';
import { legacyProjectRoutes } from './legacy-routes.js';
import { legacySmsTemplateRoutes } from './legacy-sms-template-routes.js';
import { legacyWebhookRoutes } from './legacy-webhook-routes.js';
import { mockPhoneRoutes } from './mock-phones-routes.js';
import { oauth2Routes } from './oauth2-routes.js';
import { platformRoutes } from './platforms-routes.js';
import { policyRoutes } from './policies-routes.js';
import { projectResourceRoutes } from './project-routes.js';
import { RESPONSE_FORMAT_HEADER } from '../../core/response-format.js';
import { inResponseFormat } from './response-formats.js';
import { settingRoutes } from './settings-routes.js';
import { smtpRoutes } from './smtp-routes.js';
import { templateRoutes } from './templates-routes.js';
import { variableRoutes } from './variables-routes.js';

/**
 * The `project` service: a project configured by an API key of its own; and the console's
 * `projects` service: the projects of an administrator's organizations.
 */
export function projectRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.addHook('preSerialization', async (request, _reply, payload) => inResponseFormat(request.headers[RESPONSE_FORMAT_HEADER], payload));
    await app.register(projectResourceRoutes(deps));
    await app.register(keyRoutes(deps));
    await app.register(platformRoutes(deps));
    await app.register(variableRoutes(deps));
    await app.register(settingRoutes(deps));
    await app.register(mockPhoneRoutes(deps));
    await app.register(smtpRoutes(deps));
    await app.register(oauth2Routes(deps));
    await app.register(policyRoutes(deps));
    await app.register(templateRoutes(deps));
    await app.register(consoleProjectRoutes(deps));
    await app.register(devKeyRoutes(deps));
    await app.register(legacyProjectRoutes(deps));
    await app.register(legacyResourceRoutes(deps));
    await app.register(legacyWebhookRoutes(deps));
    await app.register(legacySmsTemplateRoutes());
  };
}
