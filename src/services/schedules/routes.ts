import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { inPathProject } from '../../http/console-gate.js';
import { queriesParam, totalParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import { createSchedule, getSchedule, listSchedules, SCHEDULE_RESOURCE_TYPES, type CreateScheduleInput } from './schedules.js';

const read = inPathProject('schedules.read');
const write = inPathProject('schedules.write');

const projectParams = z.object({ projectId: z.string() });
const scheduleParams = projectParams.extend({ scheduleId: z.string() });
const listQuerystring = z.object({ queries: queriesParam, total: totalParam });

/** Appwrite takes `data` as a JSON object, or as a string holding one. */
const data = z.union([z.record(z.string(), z.unknown()), z.string()], { error: 'Value must be a valid JSON object' }).transform((value, context) => {
  if (typeof value !== 'string') return value;
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Reported below.
  }
  context.addIssue({ code: 'custom', message: 'Value must be a valid JSON object' });
  return z.NEVER;
});
const createBody = z.object({
  resourceType: z.enum(SCHEDULE_RESOURCE_TYPES, { error: `Value must be one of (${SCHEDULE_RESOURCE_TYPES.join(', ')})` }),
  resourceId: z.string({ error: 'Value must be a valid string' }).min(1, 'Value must be a valid string').max(36, 'Value must be a valid string and no longer than 36 chars'),
  schedule: z.string({ error: 'Value must be a valid string' }),
  active: z.boolean({ error: 'Value must be a valid boolean' }).default(false),
  data: data.nullable().optional(),
});

/** The console's project schedules: functions, executions and messages the server runs on a cron. */
export function scheduleRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.get(
      '/projects/:projectId/schedules',
      { config: read, schema: { params: projectParams, querystring: listQuerystring } },
      async (request) => listSchedules(deps, request.params.projectId, request.query),
    );
    app.post(
      '/projects/:projectId/schedules',
      { config: write, schema: { params: projectParams, body: createBody } },
      async (request, reply) => {
        const { data: given, ...fields } = request.body;
        const input: CreateScheduleInput = { ...fields, data: given ?? undefined };
        return reply.code(201).send(await createSchedule(deps, request.params.projectId, input));
      },
    );
    app.get('/projects/:projectId/schedules/:scheduleId', { config: read, schema: { params: scheduleParams } }, async (request) =>
      getSchedule(deps, request.params.projectId, request.params.scheduleId),
    );
  };
}
