import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import { parseListQueries } from '../../core/queries.js';
import { queriesParam, totalParam } from '../../http/list-params.js';
import type { ServiceDeps } from '../deps.js';
import { getEmailTemplate, listEmailTemplates, TEMPLATE_LOCALES, TEMPLATE_TYPES, updateEmailTemplate } from '../messages/index.js';

const read = { scope: 'templates.read' };
const write = { scope: 'templates.write' };

const templateId = z.enum(TEMPLATE_TYPES, { error: `Value must be one of (${TEMPLATE_TYPES.join(', ')})` });
// Appwrite lists locales in lower case; the SDK's enum sends them so.
const locale = z.enum(TEMPLATE_LOCALES, { error: 'Value must be one of the supported locales' });
const text = (max: number) => z.string({ error: 'Value must be a valid string' }).max(max, `Value must be a valid string and no longer than ${max} chars`).nullable().optional();
const email = z.email({ error: 'Value must be a valid email address' }).or(z.literal('')).nullable().optional();

const updateBody = z.object({
  templateId,
  locale: locale.optional(),
  subject: text(255),
  message: text(10_000_000),
  senderName: text(255),
  senderEmail: email,
  replyToEmail: email,
  replyToName: text(255),
});

const listQuerystring = z.object({ queries: queriesParam, total: totalParam });
const getParams = z.object({ templateId });
const getQuerystring = z.object({ locale: locale.optional() });

/** A project's own email templates, per type and locale. */
export function templateRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.get('/project/templates/email', { config: read, schema: { querystring: listQuerystring } }, async (request) =>
      listEmailTemplates(deps, request.ctx.projectId, parseListQueries(request.query.queries, { attributes: [] }), request.query.total),
    );
    app.get(
      '/project/templates/email/:templateId',
      { config: read, schema: { params: getParams, querystring: getQuerystring } },
      async (request) => getEmailTemplate(deps, request.ctx.projectId, request.params.templateId, request.query.locale),
    );
    app.patch('/project/templates/email', { config: write, schema: { body: updateBody } }, async (request) => {
      const { templateId: type, locale: where, ...update } = request.body;
      return updateEmailTemplate(deps, request.ctx.projectId, type, where, update);
    });
  };
}
