import { decryptValue } from '../../core/crypto.js';
import { readProjectSettings } from '../../data/platform/settings.js';
import type { MailAddress } from '../../infra/mail/mail-address.js';
import type { SmtpSettings } from '../../infra/mail/smtp-transport.js';
import type { ServiceDeps } from '../deps.js';
// Not re-exported by the projects index yet; the stored shape has one owner, so read it through it.
import { storedSmtp } from './smtp.js';

export type MailRoute =
  | { via: 'project' | 'server'; smtp: SmtpSettings; from: MailAddress; replyTo?: MailAddress }
  | { via: 'capture'; from: MailAddress };

/**
 * The project's own SMTP server when it enabled one, else this server's (PLINTH_SMTP_URL),
 * else a capture to files. Read per message, so a settings change applies to queued mail.
 */
export async function chooseMailRoute(deps: ServiceDeps, projectId: string): Promise<MailRoute> {
  const smtp = storedSmtp(await readProjectSettings(deps.db.platform, projectId));
  if (smtp.enabled) {
    return {
      via: 'project',
      smtp: {
        host: smtp.host,
        port: smtp.port,
        username: smtp.username,
        password: smtp.password ? decryptValue(deps.secretKey, smtp.password) : '',
        secure: smtp.secure,
      },
      from: { name: smtp.senderName, address: smtp.senderEmail },
      ...(smtp.replyToEmail ? { replyTo: { name: smtp.replyToName, address: smtp.replyToEmail } } : {}),
    };
  }
  if (deps.mail.smtp) return { via: 'server', smtp: deps.mail.smtp, from: deps.mail.from };
  return { via: 'capture', from: deps.mail.from };
}
