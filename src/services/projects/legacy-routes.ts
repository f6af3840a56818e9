import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { inPathProject } from '../../http/console-gate.js';
import { AUTH_METHOD_IDS, PROTOCOL_IDS, SERVICE_IDS } from '../../auth/switches.js';
import type { ServiceDeps } from '../deps.js';
import { clearMockPhones, createMockPhone } from './mock-phones.js';
import { SESSION_DURATION_RANGE, updatePolicy, type PolicyUpdate } from './policies.js';
import { getProject } from './projects.js';
import { projectParams } from './legacy-access.js';
import { updateAuthMethodStatus, updateProtocolStatus, updateServiceStatus } from './settings.js';

/**
 * The 1.8-era `/projects/{projectId}/…` settings routes the Appwrite CLI still sends (`push
 * settings`), as Appwrite keeps them: aliases of the `/project/*` routes, acting on the project in
 * the path for an administrator of its organization, with the scope of the route they alias.
 * Each answers with the project.
 */

const policies = inPathProject('policies.write');
const project = inPathProject('project.write');
const mocks = inPathProject('mocks.write');
const boolean = z.boolean({ error: 'Value must be a valid boolean' });
const integer = (min: number, max: number) =>
  z.number({ error: 'Value must be a valid integer' }).int('Value must be a valid integer').min(min, `Value must be a valid range between ${min} and ${max}`).max(max, `Value must be a valid range between ${min} and ${max}`);
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: `Value must be one of (${values.join(', ')})` });

/** The 1.8 limits: 0 turns a count off. */
const USER_LIMIT_MAX = 10000;
const SESSIONS_LIMIT_MAX = 100;
const PASSWORD_HISTORY_MAX = 20;

// A mock number reads `{phone, otp}` in 1.8 and `{number, otp}` in the project model a `pull` wrote.
const mockNumber = z
  .object({ phone: z.string().optional(), number: z.string().optional(), otp: z.string().regex(/^\d{6}$/, 'Value must be a string of exactly 6 digits.') })
  .transform((value, context) => {
    const phone = value.phone ?? value.number;
    if (phone === undefined || !/^\+[1-9]\d{6,14}$/.test(phone)) {
      context.addIssue({ code: 'custom', message: "Phone number must start with a '+' and have between 7 and 15 digits (E.164)." });
      return z.NEVER;
    }
    return { phone, otp: value.otp };
  });

export function legacyProjectRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    const policy = <T extends z.ZodType>(path: string, body: T, change: (body: z.infer<T>) => PolicyUpdate | PolicyUpdate[]) => {
      app.patch(`/projects/:projectId/auth/${path}`, { config: policies, schema: { params: projectParams, body } }, async (request) => {
        const changes = change(request.body as z.infer<T>);
        for (const update of Array.isArray(changes) ? changes : [changes]) await updatePolicy(deps, request.params.projectId, update);
        return getProject(deps, request.params.projectId);
      });
    };
    const countOrOff = (limit: number) => (limit === 0 ? null : limit);
    const { min, max } = SESSION_DURATION_RANGE;
    policy('duration', z.object({ duration: integer(min, max) }), (body) => ({ id: 'session-duration', duration: body.duration }));
    policy('limit', z.object({ limit: integer(0, USER_LIMIT_MAX) }), (body) => ({ id: 'user-limit', total: countOrOff(body.limit) }));
    policy('max-sessions', z.object({ limit: integer(1, SESSIONS_LIMIT_MAX) }), (body) => ({ id: 'session-limit', total: body.limit }));
    policy('password-history', z.object({ limit: integer(0, PASSWORD_HISTORY_MAX) }), (body) => ({ id: 'password-history', total: countOrOff(body.limit) }));
    policy('password-dictionary', z.object({ enabled: boolean }), (body) => ({ id: 'password-dictionary', enabled: body.enabled }));
    policy('personal-data', z.object({ enabled: boolean }), (body) => ({ id: 'password-personal-data', enabled: body.enabled }));
    policy('session-alerts', z.object({ alerts: boolean }), (body) => ({ id: 'session-alert', enabled: body.alerts }));
    policy('session-invalidation', z.object({ enabled: boolean }), (body) => ({ id: 'session-invalidation', enabled: body.enabled }));
    policy('memberships-privacy', z.object({ userName: boolean.optional(), userEmail: boolean.optional(), mfa: boolean.optional() }), (body) => ({
      id: 'membership-privacy',
      visible: { userName: body.userName, userEmail: body.userEmail, userMFA: body.mfa },
    }));

    // The whole list is replaced, as in 1.8.
    app.patch(
      '/projects/:projectId/auth/mock-numbers',
      { config: mocks, schema: { params: projectParams, body: z.object({ numbers: z.array(mockNumber).max(10, 'Value must a valid array no longer than 10 items') }) } },
      async (request) => {
        const { projectId } = request.params;
        await clearMockPhones(deps, projectId);
        for (const number of request.body.numbers) await createMockPhone(deps, projectId, number.phone, number.otp);
        return getProject(deps, projectId);
      },
    );

    // A status left out (the CLI drops settings it could not read) changes nothing.
    const statusBody = z.object({ status: boolean.optional() });
    app.patch(
      '/projects/:projectId/auth/:method',
      { config: project, schema: { params: projectParams.extend({ method: oneOf(AUTH_METHOD_IDS) }), body: statusBody } },
      async (request) => {
        const { projectId, method } = request.params;
        if (request.body.status !== undefined) await updateAuthMethodStatus(deps, projectId, method, request.body.status);
        return getProject(deps, projectId);
      },
    );
    app.patch(
      '/projects/:projectId/service',
      { config: project, schema: { params: projectParams, body: statusBody.extend({ service: oneOf(SERVICE_IDS) }) } },
      async (request) => {
        const { projectId } = request.params;
        if (request.body.status !== undefined) await updateServiceStatus(deps, projectId, request.body.service, request.body.status);
        return getProject(deps, projectId);
      },
    );
    app.patch(
      '/projects/:projectId/service/all',
      { config: project, schema: { params: projectParams, body: z.object({ status: boolean }) } },
      async (request) => {
        const { projectId } = request.params;
        for (const service of SERVICE_IDS) await updateServiceStatus(deps, projectId, service, request.body.status);
        return getProject(deps, projectId);
      },
    );
    app.patch(
      '/projects/:projectId/api',
      { config: project, schema: { params: projectParams, body: z.object({ api: oneOf(PROTOCOL_IDS), status: boolean }) } },
      async (request) => {
        const { projectId } = request.params;
        await updateProtocolStatus(deps, projectId, request.body.api, request.body.status);
        return getProject(deps, projectId);
      },
    );
  };
}
