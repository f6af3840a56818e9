import type { FastifyRequest } from 'fastify';
import type { ActivitySource } from './auth-logs.js';
import { actsForProject } from '../../http/context.js';

/** Where an action came from, for the user's activity log. */
export function activitySource(request: FastifyRequest): ActivitySource {
  return { ip: request.ctx.ip, userAgent: request.ctx.userAgent, mode: actsForProject(request.ctx.caller) ? 'admin' : 'default' };
}
