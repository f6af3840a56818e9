import type { DeploymentRow, FunctionRow, FunctionVariableRow } from '../../data/project/functions.js';
import type { ExecutionRow } from '../../data/project/executions.js';
import { toVariableModel, type VariableModel } from '../projects/index.js';
import type { RuntimeDefinition } from './runtimes.js';

export interface FunctionModel {
  $id: string;
  $createdAt: string;
  $updatedAt: string;
  execute: string[];
  name: string;
  enabled: boolean;
  live: boolean;
  logging: boolean;
  runtime: string;
  deploymentRetention: number;
  deploymentId: string;
  deploymentCreatedAt: string;
  latestDeploymentId: string;
  latestDeploymentCreatedAt: string;
  latestDeploymentStatus: string;
  scopes: string[];
  vars: VariableModel[];
  events: string[];
  schedule: string;
  timeout: number;
  entrypoint: string;
  commands: string;
  version: string;
  installationId: string;
  providerRepositoryId: string;
  providerBranch: string;
  providerRootDirectory: string;
  providerSilentMode: boolean;
  buildSpecification: string;
  runtimeSpecification: string;
}

export interface DeploymentModel {
  $id: string;
  $createdAt: string;
  $updatedAt: string;
  type: string;
  resourceId: string;
  resourceType: string;
  entrypoint: string;
  sourceSize: number;
  buildSize: number;
  totalSize: number;
  buildId: string;
  activate: boolean;
  screenshotLight: string;
  screenshotDark: string;
  status: string;
  buildLogs: string;
  buildDuration: number;
  providerRepositoryName: string;
  providerRepositoryOwner: string;
  providerRepositoryUrl: string;
  providerCommitHash: string;
  providerCommitAuthorUrl: string;
  providerCommitAuthor: string;
  providerCommitMessage: string;
  providerCommitUrl: string;
  providerBranch: string;
  providerBranchUrl: string;
}

export interface ExecutionModel {
  $id: string;
  $createdAt: string;
  $updatedAt: string;
  $permissions: string[];
  functionId: string;
  deploymentId: string;
  trigger: string;
  status: string;
  requestMethod: string;
  requestPath: string;
  requestHeaders: Array<{ name: string; value: string }>;
  responseStatusCode: number;
  responseBody: string;
  responseHeaders: Array<{ name: string; value: string }>;
  logs: string;
  errors: string;
  duration: number;
  scheduledAt?: string;
}

/** `value` is the decrypted value; a secret variable never shows it. */
export function toFunctionVariableModel(row: FunctionVariableRow, value: string): VariableModel {
  return toVariableModel(row, value, { resourceType: 'function', resourceId: row.function_id });
}

export function toFunctionModel(row: FunctionRow, latest: DeploymentRow | undefined, vars: VariableModel[]): FunctionModel {
  return {
    $id: row.id,
    $createdAt: row.created_at,
    $updatedAt: row.updated_at,
    execute: JSON.parse(row.execute) as string[],
    name: row.name,
    enabled: row.enabled === 1,
    live: true,
    logging: row.logging === 1,
    runtime: row.runtime,
    deploymentRetention: row.deployment_retention,
    deploymentId: row.deployment_id,
    deploymentCreatedAt: row.deployment_created_at,
    latestDeploymentId: latest?.id ?? '',
    latestDeploymentCreatedAt: latest?.created_at ?? '',
    latestDeploymentStatus: latest?.status ?? '',
    scopes: JSON.parse(row.scopes) as string[],
    vars,
    events: JSON.parse(row.events) as string[],
    schedule: row.schedule,
    timeout: row.timeout,
    entrypoint: row.entrypoint,
    commands: row.commands,
    version: 'v5',
    installationId: '',
    providerRepositoryId: '',
    providerBranch: '',
    providerRootDirectory: '',
    providerSilentMode: false,
    buildSpecification: row.specification,
    runtimeSpecification: row.specification,
  };
}

export function toDeploymentModel(row: DeploymentRow): DeploymentModel {
  return deploymentModel(row, { resourceId: row.function_id, resourceType: 'functions', entrypoint: row.entrypoint });
}

/** The deployment columns functions and sites share. */
export type DeploymentFields = Pick<DeploymentRow, 'id' | 'created_at' | 'updated_at' | 'source_size' | 'build_size' | 'activate' | 'status' | 'build_logs' | 'build_duration'>;

/** Appwrite's `deployment` model, for a function's or a site's deployment (manual uploads only). */
export function deploymentModel(row: DeploymentFields, resource: { resourceId: string; resourceType: 'functions' | 'sites'; entrypoint: string }): DeploymentModel {
  return {
    $id: row.id,
    $createdAt: row.created_at,
    $updatedAt: row.updated_at,
    type: 'manual',
    ...resource,
    sourceSize: row.source_size,
    buildSize: row.build_size,
    totalSize: row.source_size + row.build_size,
    buildId: row.id,
    activate: row.activate === 1,
    screenshotLight: '',
    screenshotDark: '',
    status: row.status,
    buildLogs: row.build_logs,
    buildDuration: row.build_duration,
    providerRepositoryName: '',
    providerRepositoryOwner: '',
    providerRepositoryUrl: '',
    providerCommitHash: '',
    providerCommitAuthorUrl: '',
    providerCommitAuthor: '',
    providerCommitMessage: '',
    providerCommitUrl: '',
    providerBranch: '',
    providerBranchUrl: '',
  };
}

export function toExecutionModel(row: ExecutionRow): ExecutionModel {
  return {
    $id: row.id,
    $createdAt: row.created_at,
    $updatedAt: row.updated_at,
    $permissions: JSON.parse(row.permissions) as string[],
    functionId: row.function_id,
    deploymentId: row.deployment_id,
    trigger: row.trigger,
    status: row.status,
    requestMethod: row.request_method,
    requestPath: row.request_path,
    requestHeaders: JSON.parse(row.request_headers) as ExecutionModel['requestHeaders'],
    responseStatusCode: Number(row.response_status_code),
    responseBody: row.response_body,
    responseHeaders: JSON.parse(row.response_headers) as ExecutionModel['responseHeaders'],
    logs: row.logs,
    errors: row.errors,
    duration: Number(row.duration),
    ...(row.scheduled_at ? { scheduledAt: row.scheduled_at } : {}),
  };
}

export function toRuntimeModel(runtime: RuntimeDefinition): Record<string, unknown> {
  return {
    $id: runtime.id,
    key: runtime.key,
    name: runtime.name,
    version: runtime.version,
    base: 'plinth',
    image: `plinth/${runtime.id}`,
    logo: `${runtime.key}.png`,
    supports: ['amd64', 'arm64'],
  };
}
