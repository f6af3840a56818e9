import type { FastifyRequest } from 'fastify';
import { nowDateTime } from '../../core/datetime.js';
import { findKeyRow } from '../../data/platform/keys.js';
import { insertResourceLog, listResourceLogs } from '../../data/project/resource-logs.js';
import type { ServiceDeps } from '../deps.js';
import { logPage, toLogModel } from '../users/index.js';

/** Who acts, as the audit trail names them; read from the request before the change is made. */
interface AuditActor {
  userId: string;
  email: string;
  name: string;
  /** Appwrite's kinds of actor: `user`, `admin` (the console) or `keyProject` (a server's API key). */
  type: 'user' | 'admin' | 'keyProject';
  mode: 'default' | 'admin';
  ip: string;
  userAgent: string;
}

/** The request's actor; a key is named by its name and the project's service address, as Appwrite does. */
async function auditActor(deps: ServiceDeps, request: FastifyRequest): Promise<AuditActor> {
  const ctx = request.ctx;
  const caller = ctx.caller;
  const where = { ip: caller.ip, userAgent: ctx.userAgent };
  if (caller.kind === 'key') {
    const key = await findKeyRow(deps.db.platform, ctx.projectId, caller.keyId ?? '');
    const email = `app.${ctx.projectId}@service.${request.hostname}`;
    return { userId: '', email, name: key?.name ?? '', type: 'keyProject', mode: 'default', ...where };
  }
  if (caller.kind === 'admin') {
    return { userId: caller.adminId ?? '', email: caller.adminEmail ?? '', name: '', type: 'admin', mode: 'admin', ...where };
  }
  const user = ctx.user?.user;
  return { userId: user?.id ?? '', email: user?.email ?? '', name: user?.name ?? '', type: 'user', mode: 'default', ...where };
}

/** Records that the request's caller did `event` (`message.create` …) to `resource` (`message/ID` …). */
export async function recordChange(deps: ServiceDeps, request: FastifyRequest, event: string, resource: string): Promise<void> {
  const actor = await auditActor(deps, request);
  await insertResourceLog(deps.db.project(request.ctx.projectId), {
    resource,
    event,
    user_id: actor.userId,
    user_email: actor.email,
    user_name: actor.name,
    user_type: actor.type,
    mode: actor.mode,
    ip: actor.ip,
    user_agent: actor.userAgent,
    time: nowDateTime(),
  });
}

/** A page of a resource's log; `total: false` leaves the count out as list routes do. */
export async function listResourceLog(deps: ServiceDeps, projectId: string, resource: string, input: { queries: string[]; total: boolean }) {
  const { total, rows } = await listResourceLogs(deps.db.project(projectId), resource, logPage(input.queries));
  return { total: input.total ? total : 0, logs: rows.map(toLogModel) };
}
