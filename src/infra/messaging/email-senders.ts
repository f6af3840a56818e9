import { onFirstUse } from '../../core/load-package.js';
import { allResults, basicAuth, baseUrl, providerFetch, type MessageSender, type OutgoingEmail } from './sender.js';

export interface Sender {
  name: string;
  email: string;
}

export interface EmailProviderConfig {
  credentials: Record<string, unknown>;
  from: Sender;
  replyTo: Sender;
  options: Record<string, unknown>;
  baseUrls: Readonly<Record<string, string>>;
}

const loadNodemailer = onFirstUse<typeof import('nodemailer')>('nodemailer');
const str = (value: unknown) => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));
const named = (who: Sender) => (who.name ? `${who.name} <${who.email}>` : who.email);

/** Text for mail readers without HTML: the HTML with its style blocks dropped, then its tags. */
function plainText(html: string): string {
  return html.replace(/<style[\s\S]*?<\/style>/gi, '').replace(/<[^>]+>/g, '');
}

/** SMTP: one mail per batch, every recipient in Bcc, as the project's own mail server receives it. */
export function smtpSender(config: EmailProviderConfig): MessageSender<OutgoingEmail> {
  const { credentials, options } = config;
  const encryption = str(options.encryption);
  const username = str(credentials.username);
  const password = str(credentials.password);
  const transport = loadNodemailer().createTransport({
    host: str(credentials.host),
    port: Number(credentials.port) || (encryption === 'ssl' ? 465 : 587),
    secure: encryption === 'ssl',
    requireTLS: encryption === 'tls',
    ignoreTLS: encryption !== 'tls' && options.autoTLS !== true,
    auth: username && password ? { user: username, pass: password } : undefined,
    pool: true,
    // As many connections as a message has batches in flight, so none waits built in memory.
    maxConnections: 10,
    connectionTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    maxPerRequest: 1000,
    async send(mail) {
      const recipients = [...mail.to, ...mail.cc, ...mail.bcc];
      try {
        const info = await transport.sendMail({
          from: { name: config.from.name, address: config.from.email },
          replyTo: { name: config.replyTo.name, address: config.replyTo.email },
          bcc: recipients,
          // The envelope nodemailer would derive from the headers, given so it parses the
          // recipients once instead of on each of its several reads of the envelope.
          envelope: { from: config.from.email || config.replyTo.email, to: recipients },
          subject: mail.subject,
          ...(mail.html ? { html: mail.content, text: plainText(mail.content) } : { text: mail.content }),
          attachments: mail.attachments.map((file) => ({ filename: file.filename, contentType: file.contentType, content: file.content })),
          ...(options.mailer ? { xMailer: str(options.mailer) } : {}),
        });
        // The server may refuse some recipients and take the mail for the rest.
        const refused = new Set((info.rejected ?? []).map((address: unknown) => String(typeof address === 'object' && address ? (address as { address: string }).address : address).toLowerCase()));
        const reason = info.rejectedErrors?.[0]?.message ?? 'Recipient refused by the SMTP server';
        return recipients.map((recipient) => (refused.has(recipient.toLowerCase()) ? { recipient, error: reason } : { recipient }));
      } catch (error) {
        return allResults(recipients, error instanceof Error ? error.message : String(error));
      }
    },
    close: () => transport.close(),
  };
}

/** SendGrid v3: one personalization per recipient, so none sees another. */
export function sendgridSender(config: EmailProviderConfig): MessageSender<OutgoingEmail> {
  const url = `${baseUrl('sendgrid', 'https://api.sendgrid.com', config.baseUrls)}/v3/mail/send`;
  return {
    maxPerRequest: 1000,
    async send(mail) {
      const personal = (email: string) => ({
        to: [{ email }],
        subject: mail.subject,
        ...(mail.cc.length ? { cc: mail.cc.map((cc) => ({ email: cc })) } : {}),
        ...(mail.bcc.length ? { bcc: mail.bcc.map((bcc) => ({ email: bcc })) } : {}),
      });
      const body = {
        personalizations: mail.to.map(personal),
        from: { name: config.from.name, email: config.from.email },
        reply_to: { name: config.replyTo.name, email: config.replyTo.email },
        content: [{ type: mail.html ? 'text/html' : 'text/plain', value: mail.content }],
        ...(mail.attachments.length
          ? { attachments: mail.attachments.map((f) => ({ content: f.content.toString('base64'), filename: f.filename, type: f.contentType, disposition: 'attachment' })) }
          : {}),
      };
      const answer = await providerFetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${str(config.credentials.apiKey)}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (answer.status === 202) return allResults(mail.to);
      return allResults(mail.to, str(answer.body?.errors?.[0]?.message) || `HTTP ${answer.status}`);
    },
  };
}

/** Mailgun: one form post per batch; each recipient sees only themself through recipient variables. */
export function mailgunSender(config: EmailProviderConfig): MessageSender<OutgoingEmail> {
  const region = config.credentials.isEuRegion === true ? 'https://api.eu.mailgun.net' : 'https://api.mailgun.net';
  const url = `${baseUrl('mailgun', region, config.baseUrls)}/v3/${encodeURIComponent(str(config.credentials.domain))}/messages`;
  return {
    maxPerRequest: 1000,
    async send(mail) {
      const form = new FormData();
      form.set('from', named(config.from));
      form.set('to', mail.to.join(','));
      form.set('subject', mail.subject);
      form.set(mail.html ? 'html' : 'text', mail.content);
      form.set('h:Reply-To', named(config.replyTo));
      if (mail.cc.length) form.set('cc', mail.cc.join(','));
      if (mail.bcc.length) form.set('bcc', mail.bcc.join(','));
      if (mail.to.length > 1) form.set('recipient-variables', JSON.stringify(Object.fromEntries(mail.to.map((to) => [to, {}]))));
      mail.attachments.forEach((file, index) => form.append(`attachment[${index}]`, new Blob([file.content], { type: file.contentType }), file.filename));
      const body = mail.attachments.length ? form : new URLSearchParams([...form.entries()].map(([key, value]): [string, string] => [key, String(value)]));
      const answer = await providerFetch(url, { method: 'POST', headers: { authorization: basicAuth('api', str(config.credentials.apiKey)) }, body });
      if (answer.status >= 200 && answer.status < 300) return allResults(mail.to);
      return allResults(mail.to, str(answer.body?.message) || `HTTP ${answer.status}`);
    },
  };
}

/** Resend: a batch of single-recipient emails, or one at a time when files are attached. */
export function resendSender(config: EmailProviderConfig): MessageSender<OutgoingEmail> {
  const base = baseUrl('resend', 'https://api.resend.com', config.baseUrls);
  const headers = { authorization: `Bearer ${str(config.credentials.apiKey)}`, 'content-type': 'application/json' };
  return {
    maxPerRequest: 100,
    async send(mail) {
      const email = (to: string) => ({
        from: named(config.from),
        to: [to],
        subject: mail.subject,
        [mail.html ? 'html' : 'text']: mail.content,
        reply_to: [config.replyTo.email],
        ...(mail.cc.length ? { cc: mail.cc } : {}),
        ...(mail.bcc.length ? { bcc: mail.bcc } : {}),
        ...(mail.attachments.length
          ? { attachments: mail.attachments.map((f) => ({ filename: f.filename, content: f.content.toString('base64'), content_type: f.contentType })) }
          : {}),
      });
      const failure = (answer: { status: number; body: any }) => str(answer.body?.message ?? answer.body?.error) || `HTTP ${answer.status}`;
      if (mail.attachments.length) {
        const results = [];
        for (const to of mail.to) {
          const answer = await providerFetch(`${base}/emails`, { method: 'POST', headers, body: JSON.stringify(email(to)) });
          results.push(answer.status === 200 ? { recipient: to } : { recipient: to, error: failure(answer) });
        }
        return results;
      }
      const answer = await providerFetch(`${base}/emails/batch`, { method: 'POST', headers, body: JSON.stringify(mail.to.map(email)) });
      if (answer.status !== 200) return allResults(mail.to, failure(answer));
      const errors = new Map<number, string>(((answer.body?.errors ?? []) as { index: number; message: string }[]).map((e) => [e.index, e.message]));
      return mail.to.map((recipient, index) => (errors.has(index) ? { recipient, error: errors.get(index)! } : { recipient }));
    },
  };
}
