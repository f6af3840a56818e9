import { DEFAULT_FUNCTIONS_DOMAIN, isFunctionHostname } from '../core/function-host-labels.js';
import { matchesAnyPlatform } from '../core/hostnames.js';
import type { ServerHosts } from '../core/user-code-urls.js';
import { listWebHostnames } from '../data/platform/platforms.js';
import type { AuthDeps } from './deps.js';

/** Where this server answers, as configured: never read from a request, whose Host header the client writes. */
export function serverHosts(deps: AuthDeps): ServerHosts {
  return { publicUrl: deps.publicUrl, functionsDomain: deps.functions?.hostDomain ?? DEFAULT_FUNCTIONS_DOMAIN };
}

/**
 * Whether a hostname is one of the project's web platforms. A function's host never is, whatever
 * wildcard covers it: user code on a sibling host must not get the trust the project gives its apps.
 */
export async function isProjectWebHost(deps: AuthDeps, projectId: string, hostname: string): Promise<boolean> {
  if (isFunctionHostname(hostname, serverHosts(deps).functionsDomain)) return false;
  return matchesAnyPlatform(hostname, await listWebHostnames(deps.db.platform, projectId));
}
