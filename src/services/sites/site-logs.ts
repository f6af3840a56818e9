import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { uniqueId } from '../../core/ids.js';
import { parseListQueries } from '../../core/queries.js';
import { deleteSiteLogRow, findSiteLog, insertSiteLog, listSiteLogRows, SITE_LOGS_LIST_TABLE, type SiteLogRow } from '../../data/project/site-logs.js';
import type { ServiceDeps } from '../deps.js';
import type { ExecutionModel } from '../functions/index.js';
import { requireSite } from './sites.js';

const QUERY_ATTRIBUTES = Object.keys(SITE_LOGS_LIST_TABLE.columns);
/** Appwrite keeps this much of logs and errors (the end of them). */
const MAX_LOG_LENGTH = 1_000_000;

type Header = { name: string; value: string };

/** One request a server-rendered site answered, as it is recorded. */
export interface SiteRequestRecord {
  siteId: string;
  deploymentId: string;
  method: string;
  path: string;
  requestHeaders: Header[];
  statusCode: number;
  responseHeaders: Header[];
  logs: string;
  errors: string;
  /** Seconds. */
  duration: number;
}

/** A site's request log as Appwrite's `execution` model: the site stands where the function would. */
function toSiteLogModel(row: SiteLogRow): ExecutionModel {
  return {
    $id: row.id,
    $createdAt: row.created_at,
    $updatedAt: row.updated_at,
    $permissions: [],
    functionId: row.site_id,
    deploymentId: row.deployment_id,
    trigger: row.trigger,
    status: row.status,
    requestMethod: row.request_method,
    requestPath: row.request_path,
    requestHeaders: JSON.parse(row.request_headers) as Header[],
    responseStatusCode: Number(row.response_status_code),
    responseBody: '',
    responseHeaders: JSON.parse(row.response_headers) as Header[],
    logs: row.logs,
    errors: row.errors,
    duration: Number(row.duration),
  };
}

/**
 * Records a request. With the site's logging off, only what says how it went is kept: method, path,
 * status and duration; no headers, output or errors.
 */
export async function recordSiteRequest(deps: ServiceDeps, projectId: string, logging: boolean, record: SiteRequestRecord): Promise<void> {
  const now = nowDateTime();
  await insertSiteLog(deps.db.project(projectId), {
    id: uniqueId(),
    site_id: record.siteId,
    deployment_id: record.deploymentId,
    trigger: 'http',
    status: record.statusCode >= 500 ? 'failed' : 'completed',
    request_method: record.method,
    request_path: record.path,
    request_headers: JSON.stringify(logging ? record.requestHeaders : []),
    response_status_code: record.statusCode,
    response_headers: JSON.stringify(logging ? record.responseHeaders : []),
    logs: logging ? record.logs.slice(-MAX_LOG_LENGTH) : '',
    errors: logging ? record.errors.slice(-MAX_LOG_LENGTH) : '',
    duration: record.duration,
    created_at: now,
    updated_at: now,
  });
}

export async function listSiteLogs(
  deps: ServiceDeps,
  projectId: string,
  siteId: string,
  input: { queries: string[]; total: boolean },
): Promise<{ total: number; executions: ExecutionModel[] }> {
  await requireSite(deps, projectId, siteId);
  const list = parseListQueries(input.queries, { attributes: QUERY_ATTRIBUTES });
  const page = await listSiteLogRows(deps.db.project(projectId), siteId, list, { total: input.total });
  return { total: page.total, executions: page.rows.map(toSiteLogModel) };
}

export async function getSiteLog(deps: ServiceDeps, projectId: string, siteId: string, logId: string): Promise<ExecutionModel> {
  await requireSite(deps, projectId, siteId);
  const row = await findSiteLog(deps.db.project(projectId), siteId, logId);
  if (!row) throw new AppError('log_not_found');
  return toSiteLogModel(row);
}

export async function deleteSiteLog(deps: ServiceDeps, projectId: string, siteId: string, logId: string): Promise<void> {
  await requireSite(deps, projectId, siteId);
  if (!(await deleteSiteLogRow(deps.db.project(projectId), siteId, logId))) throw new AppError('log_not_found');
}
