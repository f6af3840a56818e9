import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import type { ServiceDeps } from '../deps.js';
import { getProject } from './projects.js';
import { AUTH_METHOD_IDS, PROTOCOL_IDS, SERVICE_IDS } from '../../auth/switches.js';
import { updateAuthMethodStatus, updateProtocolStatus, updateServiceStatus } from './settings.js';

const write = { scope: 'project.write' };

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `Value must be one of (${values.join(', ')})` });
}

const switchBody = z.object({ enabled: z.boolean({ error: 'Value must be a valid boolean' }) });

/** Turns services, protocols and auth methods on and off; each answers with the project. */
export function settingRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.patch(
      '/project/services/:serviceId',
      { config: write, schema: { params: z.object({ serviceId: oneOf(SERVICE_IDS) }), body: switchBody } },
      async (request) => {
        await updateServiceStatus(deps, request.ctx.projectId, request.params.serviceId, request.body.enabled);
        return getProject(deps, request.ctx.projectId);
      },
    );
    app.patch(
      '/project/protocols/:protocolId',
      { config: write, schema: { params: z.object({ protocolId: oneOf(PROTOCOL_IDS) }), body: switchBody } },
      async (request) => {
        await updateProtocolStatus(deps, request.ctx.projectId, request.params.protocolId, request.body.enabled);
        return getProject(deps, request.ctx.projectId);
      },
    );
    app.patch(
      '/project/auth-methods/:methodId',
      { config: write, schema: { params: z.object({ methodId: oneOf(AUTH_METHOD_IDS) }), body: switchBody } },
      async (request) => {
        await updateAuthMethodStatus(deps, request.ctx.projectId, request.params.methodId, request.body.enabled);
        return getProject(deps, request.ctx.projectId);
      },
    );
  };
}
