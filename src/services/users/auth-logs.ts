import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { parseListQueries } from '../../core/queries.js';
import { insertAuthLog, listAuthLogs } from '../../data/project/auth-logs.js';
import type { Selectable } from 'kysely';
import type { AuthLogRow, UserRow } from '../../data/tables.js';
import type { ServiceDeps } from '../deps.js';
import { unknownCountry } from './models.js';
import { describeUserAgent } from './user-agent.js';

/** Who did it and from where, as the request context knows it. */
export interface ActivitySource {
  ip: string;
  userAgent: string;
  /** `admin` when a server acted for the user with an API key. */
  mode: 'default' | 'admin';
}

/** Records a user's authentication activity (`session.create`, `user.update` …) for their log. */
export async function recordAuthActivity(deps: ServiceDeps, projectId: string, user: UserRow, event: string, source: ActivitySource): Promise<void> {
  await insertAuthLog(deps.db.project(projectId), {
    user_id: user.id,
    event,
    user_email: user.email ?? '',
    user_name: user.name,
    mode: source.mode,
    ip: source.ip,
    user_agent: source.userAgent,
    time: nowDateTime(),
  });
}

/** The page a log's queries ask for: logs may only be paged (limit, offset). */
export function logPage(queries: readonly string[]): { limit: number; offset: number } {
  const list = parseListQueries(queries, { attributes: [] });
  if (list.filters.length > 0 || list.orders.length > 0 || list.cursor) {
    throw new AppError('general_query_invalid', 'Invalid query: only limit and offset are allowed on logs');
  }
  return { limit: list.limit, offset: list.offset };
}

/** A page of a user's activity. */
export async function listAuthActivity(deps: ServiceDeps, projectId: string, userId: string, queries: readonly string[]) {
  const { total, rows } = await listAuthLogs(deps.db.project(projectId), userId, logPage(queries));
  return { total, logs: rows.map(toLogModel) };
}

/** Appwrite's log model; the client and device come from the recorded user agent. */
export function toLogModel(row: Selectable<AuthLogRow> & { user_type?: string }) {
  return {
    event: row.event,
    userId: row.user_id,
    userEmail: row.user_email,
    userName: row.user_name,
    mode: row.mode,
    userType: row.user_type ?? 'user',
    ip: row.ip,
    time: row.time,
    ...describeUserAgent(row.user_agent),
    ...unknownCountry,
  };
}
