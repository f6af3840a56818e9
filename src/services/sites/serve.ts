import { randomBytes } from 'node:crypto';
import { extname } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { findSiteDeployment } from '../../data/project/sites.js';
import type { ServiceDeps } from '../deps.js';
import { ensureUnpacked } from '../functions/index.js';
import { plinthPage } from './pages.js';
import { siteForVisitors } from './site-rows.js';
import { hasOutputFile, unpackedOutput } from './output-files.js';
import { serveSsrSite } from './ssr-serve.js';
import { sendStatic } from './static-files.js';
import { siteDeploymentCacheDir, siteDeploymentObjects, siteOutputDir } from './storage-paths.js';

/** The framework's own 404 page, when its build made one. */
const NOT_FOUND_PAGE = '404.html';

/** A path naming a page (no extension, or .html) rather than an asset. */
function isPagePath(path: string): boolean {
  const extension = extname(path);
  return extension === '' || extension === '.html' || extension === '.htm';
}

export interface SiteTarget {
  projectId: string;
  siteId: string;
  /** The deployment a preview host names; otherwise the site's live one answers. */
  deploymentId?: string;
}

async function isReadyDeployment(deps: ServiceDeps, target: SiteTarget, deploymentId: string): Promise<boolean> {
  const deployment = await findSiteDeployment(deps.db.project(target.projectId), target.siteId, deploymentId);
  return deployment?.status === 'ready';
}

/**
 * Answers a visitor of a site from its live deployment's output (on a preview host, from that
 * deployment's, live or not). Nothing of the API applies on a site's host: no project from the
 * client, no cookies read, no CORS; the answer is the site's alone.
 */
export async function serveSite(deps: ServiceDeps, request: FastifyRequest, reply: FastifyReply, target: SiteTarget): Promise<FastifyReply> {
  const page = (status: number, title: string, detail: string) =>
    reply.code(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(plinthPage(status, title, detail));
  const site = await siteForVisitors(deps, target.projectId, target.siteId);
  if (!site) return page(404, 'Not Found', 'No site answers on this address.');
  if (site.enabled !== 1) return page(403, 'Forbidden', 'This site is disabled.');
  if (target.deploymentId === undefined && site.deployment_id === '') return page(404, 'Not Found', 'This site has no live deployment yet.');
  if (target.deploymentId !== undefined && !(await isReadyDeployment(deps, target, target.deploymentId))) return page(404, 'Not Found', 'This deployment has no build to show.');
  const isSsr = site.adapter === 'ssr';
  if (!isSsr && request.method !== 'GET' && request.method !== 'HEAD') return page(405, 'Method Not Allowed', 'A static site answers GET and HEAD only.').header('allow', 'GET, HEAD');

  const { projectId, siteId } = target;
  const deploymentId = target.deploymentId ?? site.deployment_id;
  const outputDir = siteOutputDir(deps.dataDir, projectId, siteId, deploymentId);
  const root = await unpackedOutput(outputDir, () =>
    ensureUnpacked(deps.files, siteDeploymentObjects(projectId, siteId, deploymentId).output, outputDir, () => `${siteDeploymentCacheDir(deps.dataDir, projectId, siteId, deploymentId)}/unpack-${randomBytes(6).toString('hex')}`),
  );
  if (isSsr) return serveSsrSite(deps, request, reply, projectId, site, deploymentId, root);
  const path = (request.raw.url ?? '/').split('?')[0] || '/';
  reply.hijack();
  const { raw } = request;
  const response = reply.raw;
  response.setHeader('X-Content-Type-Options', 'nosniff');
  try {
    if (await sendStatic(raw, response, root, path)) return reply;
    // A single-page app routes in the browser: an unknown page is its fallback page; a missing asset stays missing.
    if (isPagePath(path) && (await hasOutputFile(root, site.fallback_file)) && (await sendStatic(raw, response, root, `/${site.fallback_file}`))) return reply;
    if ((await hasOutputFile(root, NOT_FOUND_PAGE)) && (await sendStatic(raw, response, root, `/${NOT_FOUND_PAGE}`, { status: 404 }))) return reply;
    response.writeHead(404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
    response.end(plinthPage(404, 'Not Found', 'This page does not exist.'));
  } catch (error) {
    const status = (error as { status?: number }).status ?? 500;
    if (!response.headersSent) {
      response.writeHead(status >= 400 && status < 600 ? status : 500, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
      response.end(plinthPage(status, status === 416 ? 'Range Not Satisfiable' : 'Error', 'The file could not be sent.'));
    } else response.destroy();
  }
  return reply;
}
