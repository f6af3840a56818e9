import { isFunctionHostname } from './function-host-labels.js';
import { isLoopbackHostname } from './hostnames.js';

/** Where this server answers: its public URL, and the domain its functions answer under. */
export interface ServerHosts {
  publicUrl: string;
  functionsDomain: string;
}

/** A function's plain HTTP path form, behind whatever prefix a proxy adds. */
const FUNCTION_CALL_PATH = /\/v1\/functions\/[^/]+\/run(\/|$)/;

/** The path as a router reads it: decoded, repeated slashes folded, case ignored; undefined when it cannot be read. */
function routedPath(pathname: string): string | undefined {
  try {
    return decodeURIComponent(pathname).replace(/\/{2,}/g, '/').toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Whether a browser sent to the URL could land in user code: any host under the functions domain;
 * a function's path form on any host (the server may answer on names it was not told of); and any
 * API path on this server's own hosts (public or loopback): API paths are endpoints, never pages an
 * app lands on.
 */
export function reachesUserCode(url: URL, hosts: ServerHosts): boolean {
  const hostname = url.hostname.toLowerCase().replace(/\.$/, '');
  if (isFunctionHostname(hostname, hosts.functionsDomain)) return true;
  const path = routedPath(url.pathname);
  if (path === undefined || FUNCTION_CALL_PATH.test(path)) return true;
  const server = new URL(hosts.publicUrl);
  if (hostname !== server.hostname && !isLoopbackHostname(hostname)) return false;
  const prefix = server.pathname.replace(/\/+$/, '').toLowerCase();
  return [`${prefix}/v1`, '/v1'].some((api) => path === api || path.startsWith(`${api}/`));
}
