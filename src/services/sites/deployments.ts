import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { uniqueId } from '../../core/ids.js';
import { parseListQueries } from '../../core/queries.js';
import type { DeploymentStatus } from '../../data/project/functions.js';
import {
  deleteSiteDeploymentRow,
  findSiteDeployment,
  insertSiteDeployment,
  listSiteDeploymentRows,
  updateSiteDeploymentRow,
  updateSiteRow,
  type SiteDeploymentRow,
  type SiteRow,
} from '../../data/project/sites.js';
import { FileNotStoredError } from '../../infra/files/file-store.js';
import type { ServiceDeps } from '../deps.js';
import { joinChunks, storeChunk, storeLocalFile, type ContentRange } from '../functions/index.js';
import type { PlinthEvent } from '../../infra/events/event-bus.js';
import { commitWithEvents } from '../event-outbox.js';
import { siteEvent } from './events.js';
import { toSiteDeploymentModel, type SiteDeploymentModel, type SiteModel } from './models.js';
import { abortSiteBuild } from './running-builds.js';
import { requireSite, siteModel } from './sites.js';
import { forgetOutput } from './output-files.js';
import { forgetSiteForVisitors } from './site-rows.js';
import { stopDeploymentSsrProcesses, stopSupersededSsrProcesses } from './ssr-processes.js';
import { createPreviewHost, deletePreviewHosts } from './preview-hosts.js';
import { siteDeploymentCacheDir, siteDeploymentObjects, siteOutputDir } from './storage-paths.js';

export const SITE_BUILDS_QUEUE = 'site-builds';
export const SITE_DEPLOYMENT_QUERY_ATTRIBUTES = ['size', 'buildId', 'activate', 'sourceSize', 'buildSize', 'buildDuration', 'status'] as const;
const UNFINISHED: readonly DeploymentStatus[] = ['waiting', 'processing', 'building'];

export interface SiteBuildJob {
  projectId: string;
  siteId: string;
  deploymentId: string;
}

/** What an upload may set for its own build; the site's settings fill the rest. */
export interface DeploymentBuildInput {
  activate: boolean;
  installCommand?: string | undefined;
  buildCommand?: string | undefined;
  outputDirectory?: string | undefined;
}

export async function requireSiteDeployment(deps: ServiceDeps, projectId: string, siteId: string, deploymentId: string): Promise<SiteDeploymentRow> {
  const row = await findSiteDeployment(deps.db.project(projectId), siteId, deploymentId);
  if (!row) throw new AppError('deployment_not_found');
  return row;
}

function newRow(id: string, site: SiteRow, size: number, input: DeploymentBuildInput): SiteDeploymentRow {
  const now = nowDateTime();
  return {
    id,
    site_id: site.id,
    install_command: input.installCommand ?? site.install_command,
    build_command: input.buildCommand ?? site.build_command,
    output_directory: input.outputDirectory ?? site.output_directory,
    activate: input.activate ? 1 : 0,
    status: 'waiting',
    source_size: size,
    build_size: 0,
    build_logs: '',
    build_duration: 0,
    search: id,
    created_at: now,
    updated_at: now,
  };
}

/** Inserts a new deployment with its own preview host. */
/** `sites.S.deployments.D.create`: emitted by the write that completes a deployment's archive. */
function deploymentCreatedEvent(projectId: string, row: SiteDeploymentRow): PlinthEvent {
  return siteEvent(projectId, row.site_id, { deploymentId: row.id, action: 'create', payload: toSiteDeploymentModel(row) });
}

/** Inserts a deployment with its preview host; `complete` when its archive is whole, so it tells of its creation. */
async function recordDeployment(deps: ServiceDeps, projectId: string, row: SiteDeploymentRow, complete: boolean): Promise<void> {
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    await insertSiteDeployment(trx, row);
    // The preview host lives in the platform store: made before the deployment commits.
    await createPreviewHost(deps, projectId, row.site_id, row.id);
    if (complete) emit(deploymentCreatedEvent(projectId, row));
  });
}

/** Records an uploaded archive (on this node's disk at `uploadedFile`) as a deployment and queues its build. */
export async function createSiteDeployment(
  deps: ServiceDeps,
  projectId: string,
  siteId: string,
  input: DeploymentBuildInput & { uploadedFile: string; size: number },
): Promise<SiteDeploymentModel> {
  const site = await requireSite(deps, projectId, siteId);
  const id = uniqueId();
  await storeLocalFile(deps, siteDeploymentObjects(projectId, siteId, id).source, input.uploadedFile);
  const row = newRow(id, site, input.size, input);
  await recordDeployment(deps, projectId, row, true);
  return enqueueSiteBuild(deps, projectId, row);
}

/**
 * One chunk of a large archive, as functions take theirs: the first creates the deployment, each
 * is kept in the file store, and the one that completes the archive joins it and queues the build.
 */
export async function receiveSiteDeploymentChunk(
  deps: ServiceDeps,
  projectId: string,
  siteId: string,
  input: DeploymentBuildInput & { uploadedFile: string; size: number; range: ContentRange; uploadId: string | undefined; maxBytes: number },
): Promise<SiteDeploymentModel & { chunksTotal: number; chunksUploaded: number }> {
  const site = await requireSite(deps, projectId, siteId);
  const { range } = input;
  if (range.total > input.maxBytes) throw new AppError('storage_invalid_file_size', `The code archive is larger than ${input.maxBytes} bytes.`);
  if (input.size !== range.end - range.start + 1) throw new AppError('storage_invalid_content_range', 'The chunk size does not match its Content-Range.');
  const db = deps.db.project(projectId);
  let row: SiteDeploymentRow | undefined;
  if (range.start === 0 && !input.uploadId) {
    row = newRow(uniqueId(), site, range.total, input);
    await recordDeployment(deps, projectId, row, false);
  } else {
    if (!input.uploadId) throw new AppError('storage_invalid_content_range', 'Chunks after the first need the X-Appwrite-ID header of the upload.');
    row = await findSiteDeployment(db, siteId, input.uploadId);
    if (!row) throw new AppError('deployment_not_found');
    if (row.status !== 'waiting' || row.source_size !== range.total) throw new AppError('storage_invalid_content_range', 'This chunk does not belong to an unfinished upload.');
  }
  const objects = siteDeploymentObjects(projectId, siteId, row.id);
  const { received, bytes, chunksTotal } = await storeChunk(deps, objects.chunks, range, input.uploadedFile);
  if (bytes < range.total) return { ...toSiteDeploymentModel(row), chunksTotal, chunksUploaded: received.length };
  // Only one request may join the chunks, on whichever node it arrived: leaving `waiting` is the claim.
  const claimed = await updateSiteDeploymentRow(db, siteId, row.id, { status: 'processing', updated_at: nowDateTime() }, ['waiting']);
  if (!claimed) return { ...toSiteDeploymentModel(row), chunksTotal, chunksUploaded: chunksTotal };
  let size: number;
  try {
    size = await joinChunks(deps, objects.chunks, received, objects.source);
  } catch (error) {
    await updateSiteDeploymentRow(db, siteId, row.id, { status: 'failed', build_logs: 'The uploaded chunks could not be joined.', updated_at: nowDateTime() });
    throw error;
  }
  const updated = await commitWithEvents(deps, projectId, async (trx, emit) => {
    const updated = (await updateSiteDeploymentRow(trx, siteId, row.id, { source_size: size, updated_at: nowDateTime() })) ?? claimed;
    emit(deploymentCreatedEvent(projectId, updated));
    return updated;
  });
  return { ...(await enqueueSiteBuild(deps, projectId, updated)), chunksTotal, chunksUploaded: chunksTotal };
}

/** Queues the build of a deployment whose archive is complete (and committed, so the build finds it). */
async function enqueueSiteBuild(deps: ServiceDeps, projectId: string, row: SiteDeploymentRow): Promise<SiteDeploymentModel> {
  const job: SiteBuildJob = { projectId, siteId: row.site_id, deploymentId: row.id };
  // A failed build is a result, not a crash: the job runs once.
  await deps.queue.enqueue(SITE_BUILDS_QUEUE, job, { projectId, maxAttempts: 1 });
  return toSiteDeploymentModel(row);
}

/** A new deployment from an existing one's source, built again with the site's settings and activated. */
export async function duplicateSiteDeployment(deps: ServiceDeps, projectId: string, siteId: string, deploymentId: string): Promise<SiteDeploymentModel> {
  const site = await requireSite(deps, projectId, siteId);
  const original = await requireSiteDeployment(deps, projectId, siteId, deploymentId);
  const id = uniqueId();
  try {
    await deps.files.write(siteDeploymentObjects(projectId, siteId, id).source, await deps.files.read(siteDeploymentObjects(projectId, siteId, deploymentId).source));
  } catch (error) {
    if (error instanceof FileNotStoredError) throw new AppError('deployment_not_found');
    throw error;
  }
  const row = newRow(id, site, original.source_size, { activate: true });
  await recordDeployment(deps, projectId, row, true);
  return enqueueSiteBuild(deps, projectId, row);
}

export async function getSiteDeployment(deps: ServiceDeps, projectId: string, siteId: string, deploymentId: string): Promise<SiteDeploymentModel> {
  await requireSite(deps, projectId, siteId);
  return toSiteDeploymentModel(await requireSiteDeployment(deps, projectId, siteId, deploymentId));
}

export async function listSiteDeployments(
  deps: ServiceDeps,
  projectId: string,
  siteId: string,
  input: { queries: string[]; search: string; total: boolean },
): Promise<{ total: number; deployments: SiteDeploymentModel[] }> {
  await requireSite(deps, projectId, siteId);
  const list = parseListQueries(input.queries, { attributes: SITE_DEPLOYMENT_QUERY_ATTRIBUTES });
  const page = await listSiteDeploymentRows(deps.db.project(projectId), siteId, list, { total: input.total, ...(input.search ? { search: input.search } : {}) });
  return { total: page.total, deployments: page.rows.map(toSiteDeploymentModel) };
}

/** Makes a ready deployment the live one; the switch is one row update, so visitors see the old or the new, never a mix. */
export async function setLiveDeployment(deps: ServiceDeps, projectId: string, siteId: string, deploymentId: string): Promise<SiteModel> {
  const site = await requireSite(deps, projectId, siteId);
  const deployment = await requireSiteDeployment(deps, projectId, siteId, deploymentId);
  if (deployment.status !== 'ready') throw new AppError('build_not_ready');
  const model = await commitWithEvents(deps, projectId, async (trx, emit) => {
    const row = await updateSiteRow(trx, siteId, { deployment_id: deployment.id, deployment_created_at: deployment.created_at, updated_at: nowDateTime() });
    if (!row) throw new AppError('site_not_found');
    const model = await siteModel(deps, projectId, row, trx);
    emit(siteEvent(projectId, siteId, { action: 'update', payload: model }));
    return model;
  }, {
    // Visitors get the new deployment before anyone hears it is live.
    committed: () => {
      forgetSiteForVisitors(deps, projectId, siteId);
      stopSupersededSsrProcesses(deps, site.deployment_id, deployment.id);
    },
  });
  return model;
}

export async function cancelSiteDeployment(deps: ServiceDeps, projectId: string, siteId: string, deploymentId: string): Promise<SiteDeploymentModel> {
  await requireSite(deps, projectId, siteId);
  const existing = await requireSiteDeployment(deps, projectId, siteId, deploymentId);
  if (existing.status === 'canceled') throw new AppError('build_canceled');
  const model = await commitWithEvents(deps, projectId, async (trx, emit) => {
    const row = await updateSiteDeploymentRow(trx, siteId, deploymentId, { status: 'canceled', updated_at: nowDateTime() }, UNFINISHED);
    if (!row) throw new AppError('build_already_completed');
    const model = toSiteDeploymentModel(row);
    emit(siteEvent(projectId, siteId, { deploymentId, action: 'update', payload: model }));
    return model;
  });
  abortSiteBuild(deps, deploymentId);
  return model;
}

export async function deleteSiteDeployment(deps: ServiceDeps, projectId: string, siteId: string, deploymentId: string): Promise<void> {
  const site = await requireSite(deps, projectId, siteId);
  const existing = await requireSiteDeployment(deps, projectId, siteId, deploymentId);
  abortSiteBuild(deps, deploymentId);
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    if (!(await deleteSiteDeploymentRow(trx, siteId, deploymentId))) throw new AppError('deployment_not_found');
    if (site.deployment_id === deploymentId) await updateSiteRow(trx, siteId, { deployment_id: '', deployment_created_at: '', updated_at: nowDateTime() });
    emit(siteEvent(projectId, siteId, { deploymentId, action: 'delete', payload: toSiteDeploymentModel(existing) }));
  }, { committed: () => forgetSiteForVisitors(deps, projectId, siteId) });
  await deletePreviewHosts(deps, projectId, deploymentId);
  stopDeploymentSsrProcesses(deps, deploymentId);
  await deps.files.deletePrefix(siteDeploymentObjects(projectId, siteId, deploymentId).prefix);
  forgetOutput(siteOutputDir(deps.dataDir, projectId, siteId, deploymentId));
  await rm(siteDeploymentCacheDir(deps.dataDir, projectId, siteId, deploymentId), { recursive: true, force: true });
}

/** The uploaded archive (`source`) or the built output directory packed as .tar.gz (`output`). */
export async function downloadSiteDeployment(
  deps: ServiceDeps,
  projectId: string,
  siteId: string,
  deploymentId: string,
  type: 'source' | 'output',
): Promise<{ stream: Readable; size: number; fileName: string }> {
  await requireSite(deps, projectId, siteId);
  await requireSiteDeployment(deps, projectId, siteId, deploymentId);
  const key = siteDeploymentObjects(projectId, siteId, deploymentId)[type];
  const size = await deps.files.size(key);
  if (size === undefined) throw new AppError(type === 'source' ? 'deployment_not_found' : 'build_not_found');
  return { stream: await deps.files.read(key), size, fileName: `${deploymentId}-${type}.tar.gz` };
}
