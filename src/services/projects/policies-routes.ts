import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { parseListQueries } from '../../core/queries.js';
import { queriesParam, totalParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import {
  ENABLED_POLICY_IDS,
  getPolicy,
  listPolicies,
  PASSWORD_MIN_RANGE,
  POLICY_IDS,
  POLICY_TOTAL_MAX,
  SESSION_DURATION_RANGE,
  TOTAL_POLICY_IDS,
  updatePolicy,
  type PolicyUpdate,
} from './policies.js';
import { getProject } from './projects.js';

const read = { scope: ['policies.read', 'project.policies.read'] };
const write = { scope: ['policies.write', 'project.policies.write'] };

const boolean = z.boolean({ error: 'Value must be a valid boolean' });
const enabledBody = z.object({ enabled: boolean });
const rangeMessage = (min: number, max: number) => `Value must be a valid range between ${min} and ${max}`;
const totalBody = z.object({
  total: z
    .number({ error: 'Value must be a valid integer' })
    .int('Value must be a valid integer')
    .min(1, rangeMessage(1, POLICY_TOTAL_MAX))
    .max(POLICY_TOTAL_MAX, rangeMessage(1, POLICY_TOTAL_MAX))
    .nullable(),
});
const { min, max } = SESSION_DURATION_RANGE;
const durationBody = z.object({
  duration: z.number({ error: 'Value must be a valid integer' }).int('Value must be a valid integer').min(min, rangeMessage(min, max)).max(max, rangeMessage(min, max)),
});
// Fields left out keep their value; the SDK sends only those it was given.
const membershipBody = z.object({
  userId: boolean.optional(),
  userEmail: boolean.optional(),
  userPhone: boolean.optional(),
  userName: boolean.optional(),
  userMFA: boolean.optional(),
});

// Every field optional, as the SDK sends only those it was given; left out keeps the value.
const strengthBody = z.object({
  min: z
    .number({ error: 'Value must be a valid integer' })
    .int('Value must be a valid integer')
    .min(PASSWORD_MIN_RANGE.min, rangeMessage(PASSWORD_MIN_RANGE.min, PASSWORD_MIN_RANGE.max))
    .max(PASSWORD_MIN_RANGE.max, rangeMessage(PASSWORD_MIN_RANGE.min, PASSWORD_MIN_RANGE.max))
    .optional(),
  uppercase: boolean.optional(),
  lowercase: boolean.optional(),
  number: boolean.optional(),
  symbols: boolean.optional(),
});

const listQuerystring = z.object({ queries: queriesParam, total: totalParam });
const policyParams = z.object({ policyId: z.enum(POLICY_IDS, { error: `Value must be one of (${POLICY_IDS.join(', ')})` }) });


/**
 * Reads and sets the project's auth policies. Updates answer with the project, except
 * password-strength, which answers with the policy (node-appwrite 27.1's return type).
 */
export function policyRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.get('/project/policies', { config: read, schema: { querystring: listQuerystring } }, async (request) =>
      listPolicies(deps, request.ctx.projectId, parseListQueries(request.query.queries, { attributes: [] }), request.query.total),
    );
    app.get('/project/policies/:policyId', { config: read, schema: { params: policyParams } }, async (request) =>
      getPolicy(deps, request.ctx.projectId, request.params.policyId),
    );

    const update = async (projectId: string, change: PolicyUpdate) => {
      await updatePolicy(deps, projectId, change);
      return getProject(deps, projectId);
    };
    for (const id of ENABLED_POLICY_IDS) {
      app.patch(`/project/policies/${id}`, { config: write, schema: { body: enabledBody } }, async (request) =>
        update(request.ctx.projectId, { id, enabled: request.body.enabled }),
      );
    }
    for (const id of TOTAL_POLICY_IDS) {
      app.patch(`/project/policies/${id}`, { config: write, schema: { body: totalBody } }, async (request) =>
        update(request.ctx.projectId, { id, total: request.body.total }),
      );
    }
    app.patch('/project/policies/session-duration', { config: write, schema: { body: durationBody } }, async (request) =>
      update(request.ctx.projectId, { id: 'session-duration', duration: request.body.duration }),
    );
    app.patch('/project/policies/password-strength', { config: write, schema: { body: strengthBody } }, async (request) => {
      await updatePolicy(deps, request.ctx.projectId, { id: 'password-strength', strength: request.body });
      return getPolicy(deps, request.ctx.projectId, 'password-strength');
    });
    app.patch('/project/policies/membership-privacy', { config: write, schema: { body: membershipBody } }, async (request) =>
      update(request.ctx.projectId, { id: 'membership-privacy', visible: request.body }),
    );
  };
}
