import { AppError } from '../../core/errors.js';
import { isLoopbackHostname, matchesAnyPlatform } from '../../core/hostnames.js';
import { listWebHostnames } from '../../data/platform/platforms.js';
import type { ServiceDeps } from '../deps.js';

/**
 * Links in mails and OAuth redirects may only lead to localhost or one of the project's
 * web platforms, so nobody can use the project to send users to a site of their choosing.
 */
export async function assertAllowedRedirect(
  deps: ServiceDeps,
  projectId: string,
  url: string,
  param: string,
): Promise<void> {
  let hostname: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme');
    hostname = parsed.hostname;
  } catch {
    throw new AppError('general_argument_invalid', `Invalid \`${param}\` param: URL must be an absolute http or https URL.`);
  }
  if (isLoopbackHostname(hostname)) return;
  if (matchesAnyPlatform(hostname, await listWebHostnames(deps.db.platform, projectId))) return;
  throw new AppError('general_argument_invalid', `Invalid \`${param}\` param: URL host must be one of: localhost, or a web platform's hostname of the project.`);
}
