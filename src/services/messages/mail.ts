import { writeCaptured } from '../../infra/mail/capture-folder.js';
import { formatMailAddress } from '../../infra/mail/mail-address.js';
import type { ServiceDeps } from '../deps.js';
import { renderTemplatedMail, type TemplateSender } from './templated-mail.js';
import type { MailTemplate, TemplatedMail } from './templates.js';
import { chooseMailRoute } from './mail-route.js';
import type { RenderedMail } from './render-mail.js';
import { openPayload, sealPayload } from './sealed-payload.js';

export const MAILS_QUEUE = 'mails';

/** What a mail job carries: rendered at enqueue time, so a retry sends the same text. */
export interface MailJob extends RenderedMail {
  projectId: string;
  template: MailTemplate;
  to: { email: string; name: string };
  /** The sender a project's own template names, used only through the project's SMTP. */
  sender?: TemplateSender;
}

/** A mail as `plinth mail list` shows it. */
export interface CapturedMail {
  id: string;
  createdAt: string;
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  template: MailTemplate;
}

export interface MailDelivery {
  /** `project`: the project's own SMTP; `server`: PLINTH_SMTP_URL; `capture`: written to `path`. */
  via: 'project' | 'server' | 'capture';
  to: string;
  subject: string;
  path?: string;
}

export async function sendTemplatedMail(deps: ServiceDeps, mail: TemplatedMail): Promise<void> {
  // The project's own template for this type and locale, else the built-in text.
  const rendered = await renderTemplatedMail(deps, mail);
  const job: MailJob = { projectId: mail.projectId, template: mail.template, to: mail.to, ...rendered };
  await deps.queue.enqueue(MAILS_QUEUE, sealPayload(deps.secretKey, job), { projectId: mail.projectId });
}

/** Sends one queued mail by the route its project calls for; a throw leaves the job to retry. */
export async function deliverMail(deps: ServiceDeps, payload: unknown): Promise<MailDelivery> {
  const mail = openPayload<MailJob>(deps.secretKey, payload);
  const route = await chooseMailRoute(deps, mail.projectId);
  const summary = { to: mail.to.email, subject: mail.subject };
  if (route.via === 'capture') {
    const { path } = await writeCaptured(deps.dataDir, 'mail', mail.projectId, {
      to: mail.to.email,
      from: formatMailAddress(route.from),
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      template: mail.template,
    });
    return { via: 'capture', path, ...summary };
  }
  const transport = deps.smtp(route.smtp);
  // A template may name its own sender only on the project's own server, as Appwrite allows.
  const sender = route.via === 'project' ? mail.sender : undefined;
  const replyTo = sender?.replyTo ?? route.replyTo;
  try {
    await transport.send({
      from: sender?.from ?? route.from,
      ...(replyTo ? { replyTo } : {}),
      to: { name: mail.to.name, address: mail.to.email },
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
    });
  } finally {
    transport.close();
  }
  return { via: route.via, ...summary };
}
