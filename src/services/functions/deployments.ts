import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { uniqueId } from '../../core/ids.js';
import { parseListQueries } from '../../core/queries.js';
import {
  activateDeployment,
  deleteDeploymentRow,
  findDeployment,
  insertDeployment,
  listDeploymentRows,
  updateDeploymentRow,
  updateFunctionRow,
  type DeploymentRow,
  type FunctionRow,
} from '../../data/project/functions.js';
import { pointRulesAtDeployment } from '../../data/platform/proxy-rules.js';
import { FileNotStoredError } from '../../infra/files/file-store.js';
import type { ServiceDeps } from '../deps.js';
import type { PlinthEvent } from '../../infra/events/event-bus.js';
import { commitWithEvents } from '../event-outbox.js';
import { functionEvent } from './events.js';
import { functionModel, requireFunction } from './functions.js';
import { toDeploymentModel, type DeploymentModel, type FunctionModel } from './models.js';
import { functionsHost } from './runtime-host.js';
import { deploymentCacheDir, deploymentObjects } from './storage-paths.js';

export const BUILDS_QUEUE = 'builds';
export const DEPLOYMENT_QUERY_ATTRIBUTES = ['size', 'buildId', 'activate', 'entrypoint', 'commands', 'sourceSize', 'buildSize', 'buildDuration', 'status'] as const;
const UNFINISHED = ['waiting', 'processing', 'building'] as const;

export interface BuildJob {
  projectId: string;
  functionId: string;
  deploymentId: string;
}

export async function requireDeployment(deps: ServiceDeps, projectId: string, functionId: string, deploymentId: string): Promise<DeploymentRow> {
  const row = await findDeployment(deps.db.project(projectId), functionId, deploymentId);
  if (!row) throw new AppError('deployment_not_found');
  return row;
}

/**
 * Records an uploaded archive (already on disk at `uploadedFile`) as a deployment and queues
 * its build. The file moves into the file store.
 */
export async function createDeployment(
  deps: ServiceDeps,
  projectId: string,
  functionId: string,
  input: { uploadedFile: string; size: number; activate: boolean; entrypoint?: string | undefined; commands?: string | undefined },
): Promise<DeploymentModel> {
  const fn = await requireFunction(deps, projectId, functionId);
  const id = uniqueId();
  await storeLocalFile(deps, deploymentObjects(projectId, functionId, id).source, input.uploadedFile);
  const row = newDeploymentRow(id, fn, input);
  return queueDeployment(deps, projectId, row);
}

/** Moves an upload spooled to this node's disk into the file store, where every node finds it. */
export async function storeLocalFile(deps: ServiceDeps, key: string, localFile: string): Promise<number> {
  try {
    return await deps.files.write(key, createReadStream(localFile));
  } finally {
    await rm(localFile, { force: true });
  }
}

/** A deployment waiting for its archive's build; settings left out come from the function. */
export function newDeploymentRow(
  id: string,
  fn: FunctionRow,
  input: { size: number; activate: boolean; entrypoint?: string | undefined; commands?: string | undefined },
): DeploymentRow {
  const now = nowDateTime();
  return {
    id,
    function_id: fn.id,
    entrypoint: input.entrypoint || fn.entrypoint,
    commands: input.commands ?? fn.commands,
    activate: input.activate ? 1 : 0,
    status: 'waiting',
    source_size: input.size,
    build_size: 0,
    build_logs: '',
    build_duration: 0,
    search: id,
    created_at: now,
    updated_at: now,
  };
}

/** `functions.F.deployments.D.create`: emitted by the write that completes a deployment's archive. */
export function deploymentCreatedEvent(projectId: string, row: DeploymentRow): PlinthEvent {
  return functionEvent(projectId, row.function_id, { child: { kind: 'deployments', id: row.id }, action: 'create', payload: toDeploymentModel(row) });
}

async function queueDeployment(deps: ServiceDeps, projectId: string, row: DeploymentRow): Promise<DeploymentModel> {
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    await insertDeployment(trx, row);
    emit(deploymentCreatedEvent(projectId, row));
  });
  return enqueueBuild(deps, projectId, row);
}

/** Queues the build of a deployment whose archive is complete (and committed, so the build finds it). */
export async function enqueueBuild(deps: ServiceDeps, projectId: string, row: DeploymentRow): Promise<DeploymentModel> {
  const job: BuildJob = { projectId, functionId: row.function_id, deploymentId: row.id };
  // A failed build is a result, not a crash: the job runs once.
  await deps.queue.enqueue(BUILDS_QUEUE, job, { projectId, maxAttempts: 1 });
  return toDeploymentModel(row);
}

/** A new deployment from an existing one's source, built again and activated. */
export async function duplicateDeployment(deps: ServiceDeps, projectId: string, functionId: string, deploymentId: string): Promise<DeploymentModel> {
  await requireFunction(deps, projectId, functionId);
  const original = await requireDeployment(deps, projectId, functionId, deploymentId);
  const id = uniqueId();
  const source = deploymentObjects(projectId, functionId, deploymentId).source;
  try {
    await deps.files.write(deploymentObjects(projectId, functionId, id).source, await deps.files.read(source));
  } catch (error) {
    if (error instanceof FileNotStoredError) throw new AppError('deployment_not_found');
    throw error;
  }
  const now = nowDateTime();
  return queueDeployment(deps, projectId, {
    ...original,
    id,
    activate: 1,
    status: 'waiting',
    build_size: 0,
    build_logs: '',
    build_duration: 0,
    search: id,
    created_at: now,
    updated_at: now,
  });
}

export async function getDeployment(deps: ServiceDeps, projectId: string, functionId: string, deploymentId: string): Promise<DeploymentModel> {
  await requireFunction(deps, projectId, functionId);
  return toDeploymentModel(await requireDeployment(deps, projectId, functionId, deploymentId));
}

export async function listDeployments(
  deps: ServiceDeps,
  projectId: string,
  functionId: string,
  input: { queries: string[]; search: string; total: boolean },
): Promise<{ total: number; deployments: DeploymentModel[] }> {
  await requireFunction(deps, projectId, functionId);
  const list = parseListQueries(input.queries, { attributes: DEPLOYMENT_QUERY_ATTRIBUTES });
  const page = await listDeploymentRows(deps.db.project(projectId), functionId, list, { total: input.total, ...(input.search ? { search: input.search } : {}) });
  return { total: page.total, deployments: page.rows.map(toDeploymentModel) };
}

/** Makes a ready deployment the one executions run; the swap is one row update. */
export async function setActiveDeployment(deps: ServiceDeps, projectId: string, functionId: string, deploymentId: string): Promise<FunctionModel> {
  const fn = await requireFunction(deps, projectId, functionId);
  const deployment = await requireDeployment(deps, projectId, functionId, deploymentId);
  if (deployment.status !== 'ready') throw new AppError('build_not_ready');
  const now = nowDateTime();
  const model = await commitWithEvents(deps, projectId, async (trx, emit) => {
    const row = await activateDeployment(trx, functionId, deployment, now);
    if (!row) throw new AppError('function_not_found');
    // The rules live in the platform store: pointed before the activation commits, as before its event.
    await pointRulesAtDeployment(deps.db.platform, projectId, 'function', functionId, deploymentId, now);
    const model = await functionModel(deps, projectId, row, trx);
    emit(functionEvent(projectId, functionId, { action: 'update', payload: model }));
    return model;
  });
  if (fn.deployment_id && fn.deployment_id !== deploymentId) functionsHost(deps).pool.stopGroup(fn.deployment_id);
  return model;
}

export async function cancelDeployment(deps: ServiceDeps, projectId: string, functionId: string, deploymentId: string): Promise<DeploymentModel> {
  await requireFunction(deps, projectId, functionId);
  const existing = await requireDeployment(deps, projectId, functionId, deploymentId);
  if (existing.status === 'canceled') throw new AppError('build_canceled');
  const model = await commitWithEvents(deps, projectId, async (trx, emit) => {
    const row = await updateDeploymentRow(trx, functionId, deploymentId, { status: 'canceled', updated_at: nowDateTime() }, UNFINISHED);
    if (!row) throw new AppError('build_already_completed');
    const model = toDeploymentModel(row);
    emit(functionEvent(projectId, functionId, { child: { kind: 'deployments', id: deploymentId }, action: 'update', payload: model }));
    return model;
  });
  functionsHost(deps).builds.get(deploymentId)?.controller.abort();
  return model;
}

export async function deleteDeployment(deps: ServiceDeps, projectId: string, functionId: string, deploymentId: string): Promise<void> {
  const fn = await requireFunction(deps, projectId, functionId);
  const existing = await requireDeployment(deps, projectId, functionId, deploymentId);
  functionsHost(deps).builds.get(deploymentId)?.controller.abort();
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    if (!(await deleteDeploymentRow(trx, functionId, deploymentId))) throw new AppError('deployment_not_found');
    if (fn.deployment_id === deploymentId) {
      const now = nowDateTime();
      await updateFunctionRow(trx, functionId, { deployment_id: '', deployment_created_at: '', updated_at: now });
      await pointRulesAtDeployment(deps.db.platform, projectId, 'function', functionId, '', now);
    }
    emit(functionEvent(projectId, functionId, { child: { kind: 'deployments', id: deploymentId }, action: 'delete', payload: toDeploymentModel(existing) }));
  });
  functionsHost(deps).pool.stopGroup(deploymentId);
  await deps.files.deletePrefix(deploymentObjects(projectId, functionId, deploymentId).prefix);
  await rm(deploymentCacheDir(deps.dataDir, projectId, functionId, deploymentId), { recursive: true, force: true });
}

/** The uploaded archive (`source`) or the built tree packed as .tar.gz (`output`). */
export async function downloadDeployment(
  deps: ServiceDeps,
  projectId: string,
  functionId: string,
  deploymentId: string,
  type: 'source' | 'output',
): Promise<{ stream: Readable; size: number; fileName: string }> {
  await requireFunction(deps, projectId, functionId);
  await requireDeployment(deps, projectId, functionId, deploymentId);
  const key = deploymentObjects(projectId, functionId, deploymentId)[type];
  const size = await deps.files.size(key);
  if (size === undefined) throw new AppError(type === 'source' ? 'deployment_not_found' : 'build_not_found');
  return { stream: await deps.files.read(key), size, fileName: `${deploymentId}-${type}.tar.gz` };
}
