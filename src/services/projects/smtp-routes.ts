import type { RoutePlugin } from '../../http/typed-routes.js';
import { z } from 'zod';
import type { ServiceDeps } from '../deps.js';
import { getProject } from './projects.js';
import { sendSmtpTest, updateSmtp, type SmtpTestSettings } from '../messages/index.js';

const write = { scope: 'project.write' };

// Appwrite's validators and their words: an email (empty where it may be cleared), a hostname
// without scheme, port or path, any integer for the port (the server tells a bad one), text of
// up to 256 characters, and `tls` or `ssl` (empty here too, to switch encryption off again).
const email = z.email({ error: 'Value must be a valid email address' });
const clearableEmail = email.or(z.literal(''));
const hostname = z
  .string({ error: 'Value must be a valid hostname without path, port and protocol.' })
  .min(1, 'Value must be a valid hostname without path, port and protocol.')
  .max(253, 'Value must be a valid hostname without path, port and protocol.')
  .refine((host) => !host.includes('/') && !host.includes(':'), 'Value must be a valid hostname without path, port and protocol.');
const integer = z.number({ error: 'Value must be a valid integer' }).int('Value must be a valid integer');
const text = z.string({ error: 'Value must be a valid string and no longer than 256 chars' }).max(256, 'Value must be a valid string and no longer than 256 chars');
const secure = z.enum(['tls', 'ssl', ''], { error: 'Value must be one of (tls, ssl)' });

export const smtpBody = z.object({
  host: hostname.nullable().optional(),
  port: integer.nullable().optional(),
  username: text.nullable().optional(),
  password: text.nullable().optional(),
  senderEmail: clearableEmail.nullable().optional(),
  senderName: text.nullable().optional(),
  replyToEmail: clearableEmail.nullable().optional(),
  replyToName: text.nullable().optional(),
  secure: secure.nullable().optional(),
  enabled: z.boolean({ error: 'Value must be a valid boolean' }).nullable().optional(),
});

const TEST_EMAILS = 'Value must a valid array no longer than 10 items and Value must be a valid email address';

/** Up to 10 addresses, and (deprecated, as 1.8 sent it) the server to test instead of the project's. */
export const smtpTestBody = z.object({
  emails: z.array(z.email({ error: TEST_EMAILS }), { error: TEST_EMAILS }).max(10, TEST_EMAILS),
  senderName: text.optional(),
  senderEmail: email.optional(),
  replyTo: email.optional(),
  host: hostname.optional(),
  port: integer.optional(),
  username: text.optional(),
  password: text.optional(),
  secure: secure.optional(),
});

/** The server a test request names; undefined when it names no host (the project's own is tested). */
export function namedSmtpServer(body: z.infer<typeof smtpTestBody>): SmtpTestSettings | undefined {
  if (!body.host) return undefined;
  return {
    host: body.host,
    port: body.port ?? 0,
    username: body.username ?? '',
    password: body.password ?? '',
    secure: body.secure ?? '',
    senderEmail: body.senderEmail ?? '',
    senderName: body.senderName ?? '',
    replyToEmail: body.replyTo ?? '',
    replyToName: '',
  };
}

export function smtpRoutes(deps: ServiceDeps): RoutePlugin {
  return async (app) => {
    app.patch('/project/smtp', { config: write, schema: { body: smtpBody } }, async (request) => {
      await updateSmtp(deps, request.ctx.projectId, request.body);
      return getProject(deps, request.ctx.projectId);
    });
    app.post('/project/smtp/tests', { config: write, schema: { body: smtpTestBody } }, async (request, reply) => {
      await sendSmtpTest(deps, request.ctx.projectId, request.body.emails, namedSmtpServer(request.body));
      return reply.code(204).send();
    });
  };
}
