import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { queriesParam, totalParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import {
  adminUserModel,
  createManagedUser,
  deleteManagedUser,
  listManagedUsers,
  setEmailVerification,
  setImpersonator,
  setPhoneVerification,
  setUserEmail,
  setUserLabels,
  setUserName,
  setUserPassword,
  setUserPhone,
  setUserPrefs,
  setUserStatus,
} from './admin-users.js';
import { emailParam, labelsParam, nameParam, passwordParam, phoneParam, prefsParam, searchParam, userIdParam } from './params.js';
import { requireUser } from './user-records.js';

const read = { scope: 'users.read' };
const write = { scope: 'users.write' };

const userPath = z.object({ userId: userIdParam });
type UserPath = z.infer<typeof userPath>;
const listQuery = z.object({ queries: queriesParam, search: searchParam.optional(), total: totalParam });
const createBody = z.object({
  userId: userIdParam,
  email: emailParam.nullish(),
  phone: phoneParam.nullish(),
  password: passwordParam.nullish(),
  name: nameParam.nullish(),
});
const bool = (key: string) => z.object({ [key]: z.boolean({ error: 'Value must be a valid boolean' }) });

/** The user records themselves: create, list, read, delete, and each attribute a server may set. */
export function userRecordRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.get('/users', { config: read, schema: { querystring: listQuery } }, async (request) =>
      listManagedUsers(deps, request.ctx.projectId, request.query),
    );

    app.post('/users', { config: write, schema: { body: createBody } }, async (request, reply) => {
      const { userId, email, phone, password, name } = request.body;
      const model = await createManagedUser(deps, request.ctx.projectId, {
        userId,
        email: email ?? undefined,
        phone: phone ?? undefined,
        password: password ?? undefined,
        name: name ?? undefined,
      });
      return reply.code(201).send(model);
    });

    app.get('/users/:userId', { config: read, schema: { params: userPath } }, async (request) =>
      adminUserModel(deps, request.ctx.projectId, await requireUser(deps, request.ctx.projectId, request.params.userId)),
    );

    app.delete('/users/:userId', { config: write, schema: { params: userPath } }, async (request, reply) => {
      await deleteManagedUser(deps, request.ctx.projectId, request.params.userId);
      return reply.code(204).send();
    });

    /** PATCH/PUT routes that load the user, then set one attribute from one body field. */
    const setter = <Body extends Record<string, unknown>>(
      method: 'patch' | 'put',
      path: string,
      body: z.ZodType<Body>,
      apply: (projectId: string, user: Awaited<ReturnType<typeof requireUser>>, body: Body) => Promise<unknown>,
    ) =>
      app[method]<{ Params: UserPath; Body: Body }>(path, { config: write, schema: { params: userPath, body } }, async (request) => {
        const user = await requireUser(deps, request.ctx.projectId, request.params.userId);
        return apply(request.ctx.projectId, user, request.body as Body);
      });

    setter('patch', '/users/:userId/email', z.object({ email: z.union([z.literal(''), emailParam]) }), (p, u, b) => setUserEmail(deps, p, u, b.email));
    setter('patch', '/users/:userId/phone', z.object({ number: z.union([z.literal(''), phoneParam]) }), (p, u, b) => setUserPhone(deps, p, u, b.number));
    setter('patch', '/users/:userId/name', z.object({ name: nameParam }), (p, u, b) => setUserName(deps, p, u, b.name));
    setter('patch', '/users/:userId/password', z.object({ password: z.union([z.literal(''), passwordParam]) }), (p, u, b) =>
      setUserPassword(deps, p, u, b.password),
    );
    setter('patch', '/users/:userId/status', bool('status'), (p, u, b) => setUserStatus(deps, p, u, b.status as boolean));
    setter('put', '/users/:userId/labels', z.object({ labels: labelsParam }), (p, u, b) => setUserLabels(deps, p, u, b.labels));
    setter('patch', '/users/:userId/prefs', z.object({ prefs: prefsParam }), (p, u, b) => setUserPrefs(deps, p, u, b.prefs));
    setter('patch', '/users/:userId/verification', bool('emailVerification'), (p, u, b) =>
      setEmailVerification(deps, p, u, b.emailVerification as boolean),
    );
    setter('patch', '/users/:userId/verification/phone', bool('phoneVerification'), (p, u, b) =>
      setPhoneVerification(deps, p, u, b.phoneVerification as boolean),
    );
    setter('patch', '/users/:userId/impersonator', bool('impersonator'), (p, u, b) => setImpersonator(deps, p, u, b.impersonator as boolean));

    app.get('/users/:userId/prefs', { config: read, schema: { params: userPath } }, async (request) => {
      const user = await requireUser(deps, request.ctx.projectId, request.params.userId);
      return JSON.parse(user.prefs) as Record<string, unknown>;
    });
  };
}
