import { AppError } from '../../core/errors.js';
import { isLoopbackHostname } from '../../core/hostnames.js';
import { reachesUserCode } from '../../core/user-code-urls.js';
import type { ServiceDeps } from '../deps.js';
import { isProjectWebHost, serverHosts } from '../../auth/server-hosts.js';
import { CONSOLE_PROJECT_ID } from '../../auth/project-gate.js';

/**
 * Links in mails and OAuth redirects may only lead to localhost or one of the project's
 * web platforms, so nobody can use the project to send users to a site of their choosing;
 * and never to user code (a function's host or path form), which would read the secret they carry.
 */
export async function assertAllowedRedirect(
  deps: ServiceDeps,
  projectId: string,
  url: string,
  param: string,
): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme');
  } catch {
    throw new AppError('general_argument_invalid', `Invalid \`${param}\` param: URL must be an absolute http or https URL.`);
  }
  if (reachesUserCode(parsed, serverHosts(deps))) {
    throw new AppError('general_argument_invalid', `Invalid \`${param}\` param: URL must be an app's page, not a function or an API path.`);
  }
  const { hostname } = parsed;
  if (isLoopbackHostname(hostname)) return;
  // The web console this server serves links its administrators' mails (recovery, invitations) to its own pages.
  if (projectId === CONSOLE_PROJECT_ID && url.startsWith(`${deps.publicUrl}/console/`)) return;
  if (await isProjectWebHost(deps, projectId, hostname)) return;
  throw new AppError('general_argument_invalid', `Invalid \`${param}\` param: URL host must be one of: localhost, or a web platform's hostname of the project.`);
}
