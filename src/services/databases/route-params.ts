import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DatabaseCaller } from '../../core/permissions.js';
import { actsForProject } from '../../http/context.js';

/** Ids in paths: checked by the logic (custom id rules), here only bounded. */
export const pathId = z.string().min(1).max(36);
export const permissionsParam = z.array(z.string().max(512)).max(100);
export const nameParam = z.string().min(1).max(128);

/** What the database logic needs to know of the caller. */
export function databaseCaller(request: FastifyRequest): DatabaseCaller {
  const { caller, roles, user } = request.ctx;
  return { isKey: actsForProject(caller), roles, ...(user ? { userId: user.user.id } : {}) };
}
