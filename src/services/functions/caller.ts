import type { FastifyRequest } from 'fastify';
import type { ExecutionCaller } from './executions.js';
import { actsForProject } from '../../http/context.js';

/** What execution logic needs to know of the caller. */
export function executionCaller(request: FastifyRequest): ExecutionCaller {
  const { caller, roles, user, ip } = request.ctx;
  return {
    isKey: actsForProject(caller),
    roles,
    userId: user?.user.id,
    sessionId: user?.session?.id,
    ip,
  };
}

/**
 * Whom a plain HTTP call runs for: nobody. A browser sends cookies to any page's request, so a
 * session found on such a call says nothing of what its user meant; the function gets no user id or JWT.
 */
export function anonymousCaller(request: FastifyRequest): ExecutionCaller {
  return { isKey: false, roles: ['any', 'guests'], ip: request.ctx.ip };
}
