import type { FastifyRequest } from 'fastify';
import type { StorageCaller } from './access.js';
import { actsForProject } from '../../http/context.js';

/** What storage permissions need to know of the request's caller. */
export function storageCaller(request: FastifyRequest): StorageCaller {
  const { caller, roles } = request.ctx;
  return { isKey: actsForProject(caller), roles, ...(caller.kind === 'user' ? { userId: caller.userId } : {}) };
}
