import { createHash } from 'node:crypto';
import type { SiteRow } from '../../data/project/sites.js';
import type { RuntimeLease, RuntimeSpec } from '../../infra/sandbox/runtime-pool.js';
import { loopbackPortsOf } from '../../infra/sandbox/user-network.js';
import type { ServiceDeps } from '../deps.js';
import { functionsHost, requireAvailableRuntime, resolveProgram, runtimeServerFile } from '../functions/index.js';
import { DEFAULT_SSR_START_TIMEOUT_SECONDS } from './settings.js';
import { siteOwner } from './ssr-processes.js';
import { siteEnvironment } from './variables.js';

/**
 * The warm process a server-rendered deployment runs in: the site's Node running Plinth's relay
 * (runtimes/ssr/server.mjs), which starts the site's own server with its start command over the
 * built tree, in the functions sandbox with the functions' limits.
 */
async function ssrSpec(deps: ServiceDeps, projectId: string, site: SiteRow, deploymentId: string, codeDir: string): Promise<RuntimeSpec> {
  const host = functionsHost(deps);
  const runtime = requireAvailableRuntime(site.build_runtime, host.settings);
  const env: Record<string, string> = {
    ...runtime.env,
    ...(await siteEnvironment(deps, projectId, site.id)),
    NODE_ENV: 'production',
    // SvelteKit's Node server builds its URLs from these; Plinth sets both on every request.
    PROTOCOL_HEADER: 'x-forwarded-proto',
    HOST_HEADER: 'x-forwarded-host',
    APPWRITE_SITE_API_ENDPOINT: host.settings.apiEndpoint,
    APPWRITE_SITE_ID: site.id,
    APPWRITE_SITE_NAME: site.name,
    APPWRITE_SITE_DEPLOYMENT: deploymentId,
    APPWRITE_SITE_PROJECT_ID: projectId,
    APPWRITE_SITE_RUNTIME_NAME: runtime.name,
    APPWRITE_SITE_RUNTIME_VERSION: runtime.version,
    APPWRITE_SITE_CPUS: String(host.settings.cpus),
    APPWRITE_SITE_MEMORY: String(host.settings.memoryMb),
    PLINTH_SSR_START_COMMAND: site.start_command,
  };
  // One warm process per deployment and environment: a changed variable or command starts a fresh one.
  const envHash = createHash('sha256').update(JSON.stringify(env)).digest('hex').slice(0, 16);
  return {
    key: `site:${deploymentId}:${envHash}`,
    group: deploymentId,
    owner: siteOwner(projectId, site.id),
    program: await resolveProgram(deps, runtime),
    programArgs: runtime.programArgs,
    serverFile: runtimeServerFile({ ...runtime, server: 'ssr/server.mjs' }),
    codeDir,
    env,
    network: host.settings.network,
    // The API, when it is this host's loopback, is the one host port a site's server may reach.
    hostPorts: loopbackPortsOf(host.settings.apiEndpoint),
    memoryMb: host.settings.memoryMb,
    tmpSizeMb: host.settings.tmpSizeMb,
    concurrency: deps.sites?.ssrConcurrency,
    startTimeoutMs: (deps.sites?.ssrStartTimeoutSeconds ?? DEFAULT_SSR_START_TIMEOUT_SECONDS) * 1000,
  };
}

/**
 * Holds the deployment's warm server process for one request, starting it when none runs; when
 * `signal` aborts first (the visitor left), no lease is granted (LeaseAbortedError).
 */
export async function leaseSsrProcess(deps: ServiceDeps, projectId: string, site: SiteRow, deploymentId: string, codeDir: string, signal: AbortSignal): Promise<RuntimeLease> {
  return functionsHost(deps).pool.lease(await ssrSpec(deps, projectId, site, deploymentId, codeDir), signal);
}
