import { createHash } from 'node:crypto';
import { ExecutionTimeoutError, type RuntimeSpec } from '../../infra/sandbox/runtime-pool.js';
import { loopbackPortsOf } from '../../infra/sandbox/user-network.js';
import type { DeploymentRow, FunctionRow } from '../../data/project/functions.js';
import { signUserJwt } from '../../auth/jwt.js';
import type { ServiceDeps } from '../deps.js';
import { createEphemeralKey } from '../projects/index.js';
import { ensureDeploymentCode } from './deployment-code.js';
import { noteWarmRuntime } from './placements.js';
import { functionOwner, functionsHost } from './runtime-host.js';
import { resolveProgram } from './runtime-programs.js';
import { requireAvailableRuntime, runtimeServerFile } from './runtimes.js';
import { functionEnvironment } from './variables.js';

/** Appwrite keeps this much of an execution's logs and errors (the end of them). */
export const MAX_LOG_LENGTH = 1_000_000;
/** Response headers an execution keeps, as Appwrite does. */
const KEPT_RESPONSE_HEADERS = new Set(['content-type', 'content-length']);
/** Response headers that belong to the hop between Plinth and the runtime, not to the function's answer. */
const HOP_BY_HOP = /^(x-open-runtimes-|connection$|keep-alive$|transfer-encoding$|date$|content-length$)/;
/** Request headers the caller may not set: the runtime's own and those Plinth injects. */
const DROPPED_REQUEST_HEADERS = /^(x-appwrite-|x-open-runtimes-|host$|content-length$|connection$|transfer-encoding$)/;

export interface ExecutionRequest {
  executionId: string;
  trigger: 'http' | 'schedule' | 'event';
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  /** The user the execution runs for, and their session when they had one. */
  userId?: string | undefined;
  sessionId?: string | undefined;
  clientIp?: string | undefined;
}

export interface ExecutionResult {
  status: 'completed' | 'failed';
  statusCode: number;
  body: Buffer;
  headers: Array<{ name: string; value: string }>;
  /** Every header the function answered with (runtime control headers removed). */
  allHeaders: Record<string, string>;
  logs: string;
  errors: string;
  /** Seconds. */
  duration: number;
  coldStart: boolean;
}

/** The warm process a deployment runs in: its runtime, code and environment. */
async function runtimeSpec(deps: ServiceDeps, projectId: string, fn: FunctionRow, deployment: DeploymentRow): Promise<RuntimeSpec> {
  const host = functionsHost(deps);
  const runtime = requireAvailableRuntime(fn.runtime, host.settings);
  const variables = await functionEnvironment(deps, projectId, fn.id);
  const env: Record<string, string> = {
    ...runtime.env,
    ...variables,
    OPEN_RUNTIMES_ENTRYPOINT: deployment.entrypoint || runtime.defaultEntrypoint,
    APPWRITE_FUNCTION_API_ENDPOINT: host.settings.apiEndpoint,
    APPWRITE_FUNCTION_ID: fn.id,
    APPWRITE_FUNCTION_NAME: fn.name,
    APPWRITE_FUNCTION_DEPLOYMENT: deployment.id,
    APPWRITE_FUNCTION_PROJECT_ID: projectId,
    APPWRITE_FUNCTION_RUNTIME_NAME: runtime.name,
    APPWRITE_FUNCTION_RUNTIME_VERSION: runtime.version,
    APPWRITE_FUNCTION_CPUS: String(host.settings.cpus),
    APPWRITE_FUNCTION_MEMORY: String(host.settings.memoryMb),
    APPWRITE_VERSION: deps.apiVersion,
    APPWRITE_REGION: 'default',
    APPWRITE_DEPLOYMENT_TYPE: 'manual',
  };
  // One warm process per deployment and environment: a changed variable starts a fresh one.
  const envHash = createHash('sha256').update(JSON.stringify(env)).digest('hex').slice(0, 16);
  return {
    key: `${deployment.id}:${envHash}`,
    group: deployment.id,
    owner: functionOwner(projectId, fn.id),
    program: await resolveProgram(deps, runtime),
    programArgs: runtime.programArgs,
    serverFile: runtimeServerFile(runtime),
    codeDir: await ensureDeploymentCode(deps, projectId, fn.id, deployment.id),
    env,
    network: host.settings.network,
    // The API, when it is this host's loopback, is the one host port function code may reach.
    hostPorts: loopbackPortsOf(host.settings.apiEndpoint),
    memoryMb: host.settings.memoryMb,
    tmpSizeMb: host.settings.tmpSizeMb,
  };
}

/** Starts the deployment's runtime process now, so its first execution finds it warm. */
export async function prewarmDeployment(deps: ServiceDeps, projectId: string, fn: FunctionRow, deployment: DeploymentRow): Promise<void> {
  functionsHost(deps).pool.warm(await runtimeSpec(deps, projectId, fn, deployment));
  await noteWarmRuntime(deps, projectId, deployment.id);
}

/** Runs one request through the deployment's warm runtime process (starting it if needed). */
export async function runDeployment(
  deps: ServiceDeps,
  projectId: string,
  fn: FunctionRow,
  deployment: DeploymentRow,
  request: ExecutionRequest,
): Promise<ExecutionResult> {
  const started = performance.now();
  const logging = fn.logging === 1;
  try {
    const spec = await runtimeSpec(deps, projectId, fn, deployment);
    const headers = await requestHeaders(deps, projectId, fn, request);
    const answer = await functionsHost(deps).pool.execute(spec, {
      method: request.method,
      path: request.path,
      headers,
      body: request.body,
      timeoutSeconds: fn.timeout,
      logging,
    });
    // Where it is warm is a hint for the queue: losing it costs a cold start, not the execution.
    noteWarmRuntime(deps, projectId, deployment.id).catch(() => {});
    return {
      status: answer.statusCode >= 500 ? 'failed' : 'completed',
      statusCode: answer.statusCode,
      body: answer.body,
      headers: Object.entries(answer.headers)
        .filter(([name]) => KEPT_RESPONSE_HEADERS.has(name))
        .map(([name, value]) => ({ name, value })),
      allHeaders: Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.test(name))),
      logs: logging ? answer.logs.slice(-MAX_LOG_LENGTH) : '',
      errors: logging ? answer.errors.slice(-MAX_LOG_LENGTH) : '',
      duration: (performance.now() - started) / 1000,
      coldStart: answer.coldStart,
    };
  } catch (error) {
    // Whatever goes wrong (a timeout, a runtime that cannot start) is the execution's failure, not the server's.
    const message = error instanceof ExecutionTimeoutError ? 'Execution timed out.' : `The runtime failed: ${(error as Error).message}`;
    return {
      status: 'failed',
      statusCode: 500,
      body: Buffer.alloc(0),
      headers: [],
      allHeaders: {},
      logs: '',
      errors: logging ? message : '',
      duration: (performance.now() - started) / 1000,
      coldStart: false,
    };
  }
}

/** The caller's headers (minus those only Plinth may set) and the `x-appwrite-*` headers Plinth injects. */
async function requestHeaders(deps: ServiceDeps, projectId: string, fn: FunctionRow, request: ExecutionRequest): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    const lower = name.toLowerCase();
    if (!DROPPED_REQUEST_HEADERS.test(lower)) headers[lower] = value;
  }
  // The event that triggered the execution, named by Plinth itself (callers cannot set it).
  const event = request.trigger === 'event' ? request.headers['x-appwrite-event'] : undefined;
  if (event) headers['x-appwrite-event'] = event;
  const key = await createEphemeralKey(deps, projectId, {
    scopes: JSON.parse(fn.scopes) as string[],
    durationSeconds: Math.min(fn.timeout + 60, 3600),
  });
  const jwt = request.userId && request.sessionId ? await signUserJwt(deps.secretKey, projectId, { userId: request.userId, sessionId: request.sessionId }) : '';
  return {
    ...headers,
    'x-appwrite-trigger': request.trigger,
    'x-appwrite-execution-id': request.executionId,
    'x-appwrite-key': key.secret,
    'x-appwrite-user-id': request.userId ?? '',
    'x-appwrite-user-jwt': jwt,
    'x-appwrite-client-ip': request.clientIp ?? '',
    'x-appwrite-country-code': '',
    'x-appwrite-continent-code': '',
    'x-appwrite-continent-eu': 'false',
  };
}
