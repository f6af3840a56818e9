import { AppError } from '../../../core/errors.js';
import { isLoopbackHostname } from '../../../core/hostnames.js';
import { reachesUserCode } from '../../../core/user-code-urls.js';
import type { ServiceDeps } from '../../deps.js';
import { isProjectWebHost, serverHosts } from '../../../auth/server-hosts.js';

/**
 * Where a sign-in may send the browser back to: a page on localhost, on this server's public host,
 * or on a web platform registered for the project; or a mobile app's own
 * `appwrite-callback-<project>://` scheme. Never user code (a function's host, or an API path such
 * as a function's path form), which would read the token or session it is handed. Anything else
 * would make the API an open redirect that hands out session tokens.
 */
export async function assertRedirectAllowed(deps: ServiceDeps, projectId: string, param: 'success' | 'failure', url: string): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('general_argument_invalid', `Invalid \`${param}\` param: Value must be a valid URL`);
  }
  if (parsed.protocol === `appwrite-callback-${projectId.toLowerCase()}:`) return;
  const hosts = serverHosts(deps);
  const serverHostname = new URL(hosts.publicUrl).hostname;
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:') {
    if (reachesUserCode(parsed, hosts)) {
      throw new AppError('general_argument_invalid', `Invalid \`${param}\` param: URL must be an app's page, not a function or an API path`);
    }
    const hostname = parsed.hostname.toLowerCase();
    if (isLoopbackHostname(hostname) || hostname === serverHostname) return;
    if (await isProjectWebHost(deps, projectId, hostname)) return;
  }
  throw new AppError(
    'general_argument_invalid',
    `Invalid \`${param}\` param: URL host must be one of: localhost, ${serverHostname}, or a web platform hostname registered for the project`,
  );
}
