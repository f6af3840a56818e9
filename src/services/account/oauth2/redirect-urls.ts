import { AppError } from '../../../core/errors.js';
import { isLoopbackHostname, matchesAnyPlatform } from '../../../core/hostnames.js';
import { listWebHostnames } from '../../../data/platform/platforms.js';
import type { ServiceDeps } from '../../deps.js';

/**
 * Where a sign-in may send the browser back to: a page on localhost, on this server, or
 * on a web platform registered for the project; or a mobile app's own
 * `appwrite-callback-<project>://` scheme. Anything else would make the API an open redirect
 * that hands out session tokens.
 */
export async function assertRedirectAllowed(
  deps: ServiceDeps,
  projectId: string,
  param: 'success' | 'failure',
  url: string,
  serverHostname: string,
): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('general_argument_invalid', `Invalid \`${param}\` param: Value must be a valid URL`);
  }
  if (parsed.protocol === `appwrite-callback-${projectId.toLowerCase()}:`) return;
  const hostname = parsed.hostname.toLowerCase();
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:') {
    if (isLoopbackHostname(hostname) || hostname === serverHostname.toLowerCase()) return;
    if (matchesAnyPlatform(hostname, await listWebHostnames(deps.db.platform, projectId))) return;
  }
  throw new AppError(
    'general_argument_invalid',
    `Invalid \`${param}\` param: URL host must be one of: localhost, ${serverHostname}, or a web platform hostname registered for the project`,
  );
}
