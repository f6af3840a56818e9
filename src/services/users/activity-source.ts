import type { FastifyRequest } from 'fastify';
import type { ActivitySource } from './auth-logs.js';

/** Where an action came from, for the user's activity log. */
export function activitySource(request: FastifyRequest): ActivitySource {
  return { ip: request.ctx.caller.ip, userAgent: request.ctx.userAgent, mode: request.ctx.caller.actsForProject ? 'admin' : 'default' };
}
