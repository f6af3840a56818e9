import type { FastifyRequest } from 'fastify';
import type { ExecutionCaller } from './executions.js';

/** What execution logic needs to know of the caller. */
export function executionCaller(request: FastifyRequest): ExecutionCaller {
  const { caller, roles, user, ip } = request.ctx;
  return {
    isKey: caller.kind === 'key',
    roles,
    userId: user?.user.id,
    sessionId: user?.session?.id,
    ip,
  };
}
