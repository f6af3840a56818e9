import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { queriesParam, totalParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import { deploymentRoutes } from './deployment-routes.js';
import { executionRoutes } from './execution-routes.js';
import { httpCallRoutes } from './http-call-routes.js';
import { isFormatBefore, RESPONSE_FORMAT_HEADER } from '../../core/response-format.js';
import { createDefaultFunctionRule } from './default-rule.js';
import { createFunction, deleteFunction, getFunction, listFunctions, updateFunction } from './functions.js';
import { toRuntimeModel } from './models.js';
import { getTemplate, listTemplates } from './templates.js';
import { isAvailable, RUNTIMES } from './runtimes.js';
import { resourceVariableRoutes } from './resource-variable-routes.js';
import { FUNCTION_VARIABLES } from './variables.js';

const read = { scope: 'functions.read' };
const write = { scope: 'functions.write' };

const functionParams = z.object({ functionId: z.string().max(36) });
const listQuery = z.object({ queries: queriesParam, search: z.string().max(256).default(''), total: totalParam });
const roleList = z.array(z.string().max(128)).max(100);
const settings = {
  execute: roleList.optional(),
  events: z.array(z.string().max(256)).max(100).optional(),
  schedule: z.string().max(128).optional(),
  timeout: z.number().int().optional(),
  enabled: z.boolean().optional(),
  logging: z.boolean().optional(),
  entrypoint: z.string().max(256).optional(),
  commands: z.string().max(8192).optional(),
  scopes: z.array(z.string().max(64)).max(100).optional(),
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
const createBody = z.object({ functionId: z.string().max(36), name: z.string().min(1).max(128), runtime: z.string().max(64), ...settings });
const updateBody = z.object({ name: z.string().min(1).max(128), runtime: z.string().max(64).optional(), ...settings });
type Settings = z.infer<typeof updateBody>;

/** The body's settings as the logic names them. */
function functionInput(body: Settings) {
  return {
    name: body.name,
    runtime: body.runtime,
    execute: body.execute,
    events: body.events,
    schedule: body.schedule,
    timeout: body.timeout,
    enabled: body.enabled,
    logging: body.logging,
    entrypoint: body.entrypoint,
    commands: body.commands,
    scopes: body.scopes,
    specification: body.runtimeSpecification ?? body.buildSpecification,
    deploymentRetention: body.deploymentRetention,
  };
}

const USE_CASES = ['starter', 'databases', 'ai', 'messaging', 'utilities', 'dev-tools', 'auth'] as const;
/** One value or a bracket array, as query strings carry lists. */
const listOf = <T extends z.ZodType>(item: T) => z.union([z.array(item).max(100), item.transform((one) => [one])]).default([]);
const templatesQuery = z.object({
  runtimes: listOf(z.string().max(64)),
  useCases: listOf(z.enum(USE_CASES)),
  limit: z.number().int().min(1).max(5000).default(25),
  offset: z.number().int().min(0).max(5000).default(0),
  total: totalParam,
});
const templateParams = z.object({ templateId: z.string().max(128) });

/** The `functions` service: functions, their deployments, variables and executions. */
export function functionsRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.get('/functions/runtimes', { config: { scope: 'public' } }, async () => {
      const runtimes = RUNTIMES.filter((runtime) => isAvailable(runtime, deps.functions)).map(toRuntimeModel);
      return { total: runtimes.length, runtimes };
    });

    app.get('/functions/templates', { config: { scope: 'public' }, schema: { querystring: templatesQuery } }, async (request) =>
      listTemplates(request.query),
    );
    app.get('/functions/templates/:templateId', { config: { scope: 'public' }, schema: { params: templateParams } }, async (request) =>
      getTemplate(request.params.templateId),
    );

    app.get('/functions/specifications', { config: read }, async () => ({
      total: 1,
      specifications: [{ memory: 512, cpus: 1, enabled: true, slug: 's-1vcpu-512mb' }],
    }));

    app.get('/functions', { config: read, schema: { querystring: listQuery } }, async (request) =>
      listFunctions(deps, request.ctx.projectId, request.query),
    );

    app.post('/functions', { config: write, schema: { body: createBody } }, async (request, reply) => {
      const { functionId, runtime } = request.body;
      const created = await createFunction(deps, request.ctx.projectId, functionId, { ...functionInput(request.body), runtime });
      // Clients made before 1.7 ask for no rule of their own: the server gives the function one, as Appwrite does.
      if (isFormatBefore(request.headers[RESPONSE_FORMAT_HEADER], 1, 7)) await createDefaultFunctionRule(deps, request.ctx.projectId, created.$id);
      return reply.code(201).send(created);
    });

    app.get('/functions/:functionId', { config: read, schema: { params: functionParams } }, async (request) =>
      getFunction(deps, request.ctx.projectId, request.params.functionId),
    );

    app.put(
      '/functions/:functionId',
      { config: write, schema: { params: functionParams, body: updateBody } },
      async (request) => updateFunction(deps, request.ctx.projectId, request.params.functionId, functionInput(request.body)),
    );

    app.delete('/functions/:functionId', { config: write, schema: { params: functionParams } }, async (request, reply) => {
      await deleteFunction(deps, request.ctx.projectId, request.params.functionId);
      return reply.code(204).send();
    });

    await app.register(deploymentRoutes(deps));
    await app.register(resourceVariableRoutes(deps, { collection: 'functions', idParam: 'functionId', variables: FUNCTION_VARIABLES }));
    await app.register(executionRoutes(deps));
    await app.register(httpCallRoutes(deps));
  };
}
