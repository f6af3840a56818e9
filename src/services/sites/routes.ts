import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { queriesParam, totalParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import { resourceVariableRoutes } from '../functions/index.js';
import { siteDeploymentRoutes } from './deployment-routes.js';
import { listFrameworks } from './frameworks.js';
import { deleteSiteLog, getSiteLog, listSiteLogs } from './site-logs.js';
import { createSite, deleteSite, getSite, listSites, updateSite, type SiteInput } from './sites.js';
import { SITE_VARIABLES } from './variables.js';

const read = { scope: 'sites.read' };
const write = { scope: 'sites.write' };

const siteParams = z.object({ siteId: z.string().max(36) });
const logParams = z.object({ siteId: z.string().max(36), logId: z.string().max(36) });
const listQuery = z.object({ queries: queriesParam, search: z.string().max(256).default(''), total: totalParam });
const logsQuery = z.object({ queries: queriesParam, total: totalParam });
const settings = {
  framework: z.string().max(32),
  enabled: z.boolean().optional(),
  logging: z.boolean().optional(),
  timeout: z.number().int().optional(),
  installCommand: z.string().max(8192).optional(),
  buildCommand: z.string().max(8192).optional(),
  startCommand: z.string().max(8192).optional(),
  outputDirectory: z.string().max(256).optional(),
  adapter: z.enum(['static', 'ssr'], { error: 'Invalid `adapter` param: Value must be one of (static, ssr)' }).optional(),
  fallbackFile: z.string().max(256).optional(),
  buildSpecification: z.string().max(64).optional(),
  runtimeSpecification: z.string().max(64).optional(),
  deploymentRetention: z.number().int().min(0).max(36500).optional(),
  // Git deployments are not offered; the fields are accepted so SDK calls that send them work.
  installationId: z.string().optional(),
  providerRepositoryId: z.string().optional(),
  providerBranch: z.string().optional(),
  providerSilentMode: z.boolean().optional(),
  providerRootDirectory: z.string().optional(),
};
const createBody = z.object({ siteId: z.string().max(36), name: z.string().min(1).max(128), buildRuntime: z.string().max(64), ...settings });
const updateBody = z.object({ name: z.string().min(1).max(128), buildRuntime: z.string().max(64).optional(), ...settings });
type Settings = z.infer<typeof updateBody>;

function siteInput(body: Settings): SiteInput {
  return {
    name: body.name,
    framework: body.framework,
    adapter: body.adapter,
    buildRuntime: body.buildRuntime,
    enabled: body.enabled,
    logging: body.logging,
    timeout: body.timeout,
    installCommand: body.installCommand,
    buildCommand: body.buildCommand,
    startCommand: body.startCommand,
    outputDirectory: body.outputDirectory,
    fallbackFile: body.fallbackFile,
    specification: body.runtimeSpecification ?? body.buildSpecification,
    deploymentRetention: body.deploymentRetention,
  };
}

/** The `sites` service: sites, their deployments, variables and request logs. */
export function sitesRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.get('/sites/frameworks', { config: { scope: 'public' } }, async () => listFrameworks(deps.functions));

    app.get('/sites/specifications', { config: read }, async () => ({
      total: 1,
      specifications: [{ memory: 512, cpus: 1, enabled: true, slug: 's-1vcpu-512mb' }],
    }));

    app.get('/sites', { config: read, schema: { querystring: listQuery } }, async (request) =>
      listSites(deps, request.ctx.projectId, request.query),
    );

    app.post('/sites', { config: write, schema: { body: createBody } }, async (request, reply) => {
      const { siteId, buildRuntime } = request.body;
      return reply.code(201).send(await createSite(deps, request.ctx.projectId, siteId, { ...siteInput(request.body), buildRuntime }));
    });

    app.get('/sites/:siteId', { config: read, schema: { params: siteParams } }, async (request) =>
      getSite(deps, request.ctx.projectId, request.params.siteId),
    );

    app.put(
      '/sites/:siteId',
      { config: write, schema: { params: siteParams, body: updateBody } },
      async (request) => updateSite(deps, request.ctx.projectId, request.params.siteId, siteInput(request.body)),
    );

    app.delete('/sites/:siteId', { config: write, schema: { params: siteParams } }, async (request, reply) => {
      await deleteSite(deps, request.ctx.projectId, request.params.siteId);
      return reply.code(204).send();
    });

    // Requests a server-rendered site answered (static files are served without a record).
    app.get(
      '/sites/:siteId/logs',
      { config: { scope: 'log.read' }, schema: { params: siteParams, querystring: logsQuery } },
      async (request) => listSiteLogs(deps, request.ctx.projectId, request.params.siteId, request.query),
    );
    app.get('/sites/:siteId/logs/:logId', { config: { scope: 'log.read' }, schema: { params: logParams } }, async (request) =>
      getSiteLog(deps, request.ctx.projectId, request.params.siteId, request.params.logId),
    );
    app.delete('/sites/:siteId/logs/:logId', { config: { scope: 'log.write' }, schema: { params: logParams } }, async (request, reply) => {
      await deleteSiteLog(deps, request.ctx.projectId, request.params.siteId, request.params.logId);
      return reply.code(204).send();
    });

    await app.register(siteDeploymentRoutes(deps));
    await app.register(resourceVariableRoutes(deps, { collection: 'sites', idParam: 'siteId', variables: SITE_VARIABLES }));
  };
}
