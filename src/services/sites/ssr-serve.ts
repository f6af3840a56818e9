import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SiteRow } from '../../data/project/sites.js';
import { LeaseAbortedError, type RuntimeLease } from '../../infra/sandbox/runtime-pool.js';
import type { ServiceDeps } from '../deps.js';
import { ssrAssetsOf } from './frameworks.js';
import { sendSsrAsset } from './ssr-assets.js';
import { markOutput, outputSince } from './ssr-output.js';
import { proxyToSsr, sendPlinthPage } from './ssr-proxy.js';
import { leaseSsrProcess } from './ssr-runtime.js';
import { recordSiteRequest } from './site-logs.js';

/** Appwrite keeps this much of a request's logs and errors. */
const MAX_OUTPUT_BYTES = 1_000_000;
/** Response headers a log keeps, as an execution's do. */
const LOGGED_RESPONSE_HEADERS = new Set(['content-type', 'content-length']);
/** Request headers a log never keeps: they carry the visitor's secrets. */
const UNLOGGED_REQUEST_HEADERS = new Set(['cookie', 'authorization']);

function headerList(headers: Record<string, string>, keep: (name: string) => boolean): Array<{ name: string; value: string }> {
  return Object.entries(headers)
    .filter(([name]) => keep(name))
    .map(([name, value]) => ({ name, value }));
}

/**
 * Aborts when the visitor's connection closes before the answer began (an answer not begun keeps
 * its socket until it ends), so a request waiting for a busy server never takes a slot it cannot use.
 */
function visitorLeaving(response: ServerResponse): AbortController {
  const left = new AbortController();
  if (!response.socket || response.socket.destroyed) left.abort();
  else response.once('close', () => left.abort());
  return left;
}

/**
 * Answers a visitor of a server-rendered site: a file of the framework's client output straight
 * from the build, anything else from the deployment's warm server process (started when none
 * runs); each request that reaches the server is recorded in the site's logs.
 */
export async function serveSsrSite(deps: ServiceDeps, request: FastifyRequest, reply: FastifyReply, projectId: string, site: SiteRow, deploymentId: string, root: string): Promise<FastifyReply> {
  const raw = request.raw;
  const response = reply.raw;
  const path = (raw.url ?? '/').split('?')[0] || '/';
  reply.hijack();
  try {
    if (await sendSsrAsset(raw, response, root, ssrAssetsOf(site.framework), path)) return reply;
  } catch {
    sendPlinthPage(response, 500, 'Error', 'The file could not be sent.');
    return reply;
  }

  const started = performance.now();
  let lease: RuntimeLease | undefined;
  let statusCode: number;
  let requestHeaders: Record<string, string> = {};
  let responseHeaders: Record<string, string> = {};
  let output = { logs: '', errors: '' };
  try {
    lease = await leaseSsrProcess(deps, projectId, site, deploymentId, root, visitorLeaving(response).signal);
  } catch (error) {
    // A visitor who left while the server was busy or starting: nothing reached the server, nothing to log.
    if (error instanceof LeaseAbortedError) return reply;
    statusCode = 502;
    output.errors = `The site's server could not start: ${(error as Error).message}`;
    sendPlinthPage(response, 502, 'Bad Gateway', "The site's server could not start.");
  }
  if (lease) {
    const mark = markOutput(lease.logsDir);
    try {
      const outcome = await proxyToSsr(lease, raw, response, { host: raw.headers.host ?? '', proto: request.protocol, clientIp: request.ip }, site.timeout);
      statusCode = outcome.statusCode;
      requestHeaders = outcome.requestHeaders;
      responseHeaders = outcome.responseHeaders;
      output = outputSince(lease.logsDir, mark, MAX_OUTPUT_BYTES);
      if (outcome.failure) {
        // A server that died took its log files with it: what it last wrote to stderr is kept apart.
        if (output.errors === '') output.errors = lease.recentErrors();
        output.errors += `${output.errors && !output.errors.endsWith('\n') ? '\n' : ''}${outcome.failure}`;
      }
    } finally {
      lease.release();
    }
  }
  await recordSiteRequest(deps, projectId, site.logging === 1, {
    siteId: site.id,
    deploymentId,
    method: raw.method ?? 'GET',
    path: raw.url ?? '/',
    requestHeaders: headerList(requestHeaders, (name) => !UNLOGGED_REQUEST_HEADERS.has(name)),
    statusCode: statusCode!,
    responseHeaders: headerList(responseHeaders, (name) => LOGGED_RESPONSE_HEADERS.has(name)),
    logs: output.logs,
    errors: output.errors,
    duration: (performance.now() - started) / 1000,
  }).catch((error: unknown) => request.log.warn({ err: error }, 'a site request log could not be recorded'));
  return reply;
}
