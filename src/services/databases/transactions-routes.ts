import type { RouteApp } from '../../http/typed-routes.js';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { queriesParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import type { ApiNames } from './api-names.js';
import { apiRouteScopes } from './route-scopes.js';
import { pathId } from './route-params.js';
import { commitTransaction } from './transactions-commit.js';
import { stageOperations } from './transactions-staging.js';
import {
  createTransaction,
  deleteTransaction,
  getTransaction,
  listTransactions,
  rollbackTransaction,
  TRANSACTION_TTL,
} from './transactions.js';

const transactionParams = z.object({ transactionId: pathId });
/** Openings per user and address a minute, as Appwrite limits a user's document writes. */
const OPENING_LIMIT = { limit: 60, windowSeconds: 60, key: ['url', 'ip', 'user'] } as const;
/** One staged operation; either API's words for the collection and document ids are taken. */
const operationParam = z.object({
  action: z.string(),
  databaseId: z.string().min(1).max(36),
  collectionId: z.string().min(1).max(36).optional(),
  tableId: z.string().min(1).max(36).optional(),
  documentId: z.string().min(1).max(36).nullable().optional(),
  rowId: z.string().min(1).max(36).nullable().optional(),
  data: z.unknown().optional(),
});

/** Transactions of one API's vocabulary: `/databases/transactions` or `/tablesdb/transactions`. */
export function registerTransactionRoutes(app: RouteApp, deps: ServiceDeps, api: ApiNames): void {
  const { transactionRead: read, transactionWrite: write } = apiRouteScopes(api);
  const base = `${api.prefix}/transactions`;
  const one = `${base}/:transactionId`;

  app.post(
    base,
    { config: { ...write, rateLimit: OPENING_LIMIT }, schema: { body: z.object({ ttl: z.number().int().min(TRANSACTION_TTL.min).max(TRANSACTION_TTL.max).optional() }).optional() } },
    async (request, reply) => reply.code(201).send(await createTransaction(deps, request.ctx.projectId, request.ctx.caller, { ttl: request.body?.ttl })),
  );
  app.get(base, { config: read, schema: { querystring: z.object({ queries: queriesParam }) } }, async (request) =>
    listTransactions(deps, request.ctx.projectId, request.ctx.caller, request.query.queries),
  );
  app.get(one, { config: read, schema: { params: transactionParams } }, async (request) =>
    getTransaction(deps, request.ctx.projectId, request.ctx.caller, request.params.transactionId),
  );
  app.patch(
    one,
    { config: write, schema: { params: transactionParams, body: z.object({ commit: z.boolean().optional(), rollback: z.boolean().optional() }).optional() } },
    async (request) => {
      const { commit = false, rollback = false } = request.body ?? {};
      if (commit === rollback) throw new AppError('general_bad_request', commit ? 'Cannot commit and roll back at once.' : 'Either commit or rollback must be true.');
      const caller = request.ctx.caller;
      const { projectId } = request.ctx;
      return commit
        ? commitTransaction(deps, projectId, api, caller, request.params.transactionId)
        : rollbackTransaction(deps, projectId, caller, request.params.transactionId);
    },
  );
  app.delete(one, { config: write, schema: { params: transactionParams } }, async (request, reply) => {
    await deleteTransaction(deps, request.ctx.projectId, request.ctx.caller, request.params.transactionId);
    return reply.code(204).send();
  });
  app.post(
    `${one}/operations`,
    { config: write, schema: { params: transactionParams, body: z.object({ operations: z.array(operationParam).max(1000).optional() }).optional() } },
    async (request, reply) => {
      const operations = (request.body?.operations ?? []).map((operation) => {
        const collectionId = operation.collectionId ?? operation.tableId;
        if (!collectionId) throw new AppError('general_argument_invalid', `Each operation needs a ${api.containerParam}.`);
        return { action: operation.action, databaseId: operation.databaseId, collectionId, documentId: operation.documentId ?? operation.rowId ?? null, data: operation.data };
      });
      const { transaction } = await stageOperations(deps, request.ctx.projectId, api, request.ctx.caller, request.params.transactionId, operations);
      return reply.code(201).send(transaction);
    },
  );
}
