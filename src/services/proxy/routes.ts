import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { queriesParam, totalParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import { isCertificateAllowed } from './certificates.js';
import { createRule, deleteRule, getRule, listRules, verifyRule, type RedirectStatusCode } from './rules.js';

const read = { scope: 'rules.read' };
/** Appwrite's abuse limit on rule creation: 10 a minute per caller and route. */
const create = { scope: 'rules.write', rateLimit: { limit: 10, windowSeconds: 60, key: ['url', 'user'] } } as const;
const write = { scope: 'rules.write' };

const domain = z.string({ error: 'Value must be a valid domain.' }).max(253, 'Value must be a valid domain.');
const branch = z.string({ error: 'Value must be a valid string' }).max(255, 'Value must be a valid string and at most 255 chars').default('');
const resourceId = z.string({ error: 'Value must be a valid string' }).max(36, 'Value must be a valid string and at most 36 chars');
const httpUrl = z.string({ error: 'Value must be a valid URL' }).refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}, 'Value must be a valid URL');
const statusCode = z
  .union([z.enum(['301', '302', '307', '308']), z.literal(301), z.literal(302), z.literal(307), z.literal(308)], {
    error: 'Value must be one of (301, 302, 307, 308)',
  })
  .transform((value) => Number(value) as RedirectStatusCode);

const apiBody = z.object({ domain });
const functionBody = z.object({ domain, functionId: resourceId, branch });
const siteBody = z.object({ domain, siteId: resourceId, branch });
const redirectBody = z.object({
  domain,
  url: httpUrl,
  statusCode,
  resourceId,
  resourceType: z.enum(['site', 'function'], { error: 'Value must be one of (site, function)' }),
});
const ruleParams = z.object({ ruleId: z.string().max(36) });
const listQuery = z.object({ queries: queriesParam, search: z.string().max(256).default(''), total: totalParam });
const askQuery = z.object({ domain: z.string().max(253).default('') });

/** The `proxy` service: the domains a project answers on, and the question a TLS proxy asks before a certificate. */
export function proxyRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.get('/proxy/rules', { config: read, schema: { querystring: listQuery } }, async (request) =>
      listRules(deps, request.ctx.projectId, request.query),
    );

    app.post('/proxy/rules/api', { config: create, schema: { body: apiBody } }, async (request, reply) =>
      reply.code(201).send(await createRule(deps, request.ctx.projectId, request.body.domain, { type: 'api' })),
    );

    app.post('/proxy/rules/function', { config: create, schema: { body: functionBody } }, async (request, reply) => {
      const { functionId, branch: functionBranch } = request.body;
      return reply.code(201).send(await createRule(deps, request.ctx.projectId, request.body.domain, { type: 'function', functionId, branch: functionBranch }));
    });

    app.post('/proxy/rules/site', { config: create, schema: { body: siteBody } }, async (request, reply) => {
      const { siteId, branch: siteBranch } = request.body;
      return reply.code(201).send(await createRule(deps, request.ctx.projectId, request.body.domain, { type: 'site', siteId, branch: siteBranch }));
    });

    app.post('/proxy/rules/redirect', { config: create, schema: { body: redirectBody } }, async (request, reply) => {
      const { url, statusCode: code, resourceId: id, resourceType } = request.body;
      return reply.code(201).send(await createRule(deps, request.ctx.projectId, request.body.domain, { type: 'redirect', url, statusCode: code, resourceId: id, resourceType }));
    });

    app.get('/proxy/rules/:ruleId', { config: read, schema: { params: ruleParams } }, async (request) =>
      getRule(deps, request.ctx.projectId, request.params.ruleId),
    );

    app.delete('/proxy/rules/:ruleId', { config: write, schema: { params: ruleParams } }, async (request, reply) => {
      await deleteRule(deps, request.ctx.projectId, request.params.ruleId);
      return reply.code(204).send();
    });

    // `/verification` is the 1.9.3 path, which SDKs of that line still call.
    for (const path of ['/proxy/rules/:ruleId/status', '/proxy/rules/:ruleId/verification']) {
      app.patch(path, { config: write, schema: { params: ruleParams } }, async (request) =>
        verifyRule(deps, request.ctx.projectId, request.params.ruleId),
      );
    }

    // Caddy's on-demand TLS asks before it requests a certificate: 200 yes, 404 no, and nothing more.
    app.get(
      '/proxy/certificates/allowed',
      { config: { scope: 'public', withoutProject: true, anyOrigin: true, service: null }, schema: { querystring: askQuery } },
      async (request, reply) => {
        const allowed = await isCertificateAllowed(deps, request.query.domain);
        return reply.code(allowed ? 200 : 404).type('text/plain; charset=utf-8').send(allowed ? 'yes' : 'no');
      },
    );
  };
}
