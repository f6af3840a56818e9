import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import type { ServiceDeps } from '../deps.js';
import { getProject } from './projects.js';
import { sendSmtpTest, updateSmtp } from '../messages/index.js';

const write = { scope: 'project.write' };

const email = z.email({ error: 'Value must be a valid email address' });
const text = (max: number) => z.string().max(max).nullable().optional();

export const smtpBody = z.object({
  host: text(256),
  port: z.number().int().min(1).max(65535).nullable().optional(),
  username: text(256),
  password: text(256),
  senderEmail: email.nullable().optional(),
  senderName: text(256),
  replyToEmail: email.or(z.literal('')).nullable().optional(),
  replyToName: text(256),
  secure: z.enum(['tls', 'ssl', '']).nullable().optional(),
  enabled: z.boolean().nullable().optional(),
});

const testBody = z.object({ emails: z.array(email).min(1).max(10) });

export function smtpRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.patch('/project/smtp', { config: write, schema: { body: smtpBody } }, async (request) => {
      await updateSmtp(deps, request.ctx.projectId, request.body);
      return getProject(deps, request.ctx.projectId);
    });
    app.post('/project/smtp/tests', { config: write, schema: { body: testBody } }, async (request, reply) => {
      await sendSmtpTest(deps, request.ctx.projectId, request.body.emails);
      return reply.code(204).send();
    });
  };
}
