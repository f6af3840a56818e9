import { onFirstUse } from '../../core/load-package.js';
import type { EmailProviderConfig } from './email-senders.js';
import { allResults, baseUrl, providerFetch, type MessageSender, type OutgoingEmail, type SendResult } from './sender.js';

const loadAws4 = onFirstUse<typeof import('aws4')>('aws4');
const str = (value: unknown) => (typeof value === 'string' ? value : '');
const named = (who: { name: string; email: string }) => (who.name ? `${who.name} <${who.email}>` : who.email);

/**
 * Amazon SES (API v2), SigV4-signed. A batch of up to 50 recipients is one SendBulkEmail
 * whose entries each name one recipient (nobody sees the others), with the content given
 * inline as the template. Attachments, and content with `{{` that the template engine would
 * read as placeholders, go as one SendEmail per recipient instead, 10 at a time.
 */
export function sesSender(config: EmailProviderConfig): MessageSender<OutgoingEmail> {
  const region = str(config.credentials.region);
  const base = baseUrl('ses', `https://email.${region}.amazonaws.com`, config.baseUrls);
  const keys = { accessKeyId: str(config.credentials.accessKey), secretAccessKey: str(config.credentials.secretKey) };
  const copies = (mail: OutgoingEmail) => ({ ...(mail.cc.length ? { CcAddresses: mail.cc } : {}), ...(mail.bcc.length ? { BccAddresses: mail.bcc } : {}) });

  async function post(path: string, payload: unknown) {
    const url = new URL(`${base}${path}`);
    const body = JSON.stringify(payload);
    const signed = loadAws4().sign(
      { host: url.host, path: url.pathname, method: 'POST', service: 'ses', region, headers: { 'content-type': 'application/json' }, body },
      keys,
    );
    const headers = Object.fromEntries(Object.entries(signed.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'host' && name.toLowerCase() !== 'content-length')) as Record<string, string>;
    return providerFetch(url.toString(), { method: 'POST', headers, body });
  }

  async function sendOne(mail: OutgoingEmail, to: string): Promise<SendResult> {
    const answer = await post('/v2/email/outbound-emails', {
      FromEmailAddress: named(config.from),
      ReplyToAddresses: [config.replyTo.email],
      Destination: { ToAddresses: [to], ...copies(mail) },
      Content: {
        Simple: {
          Subject: { Data: mail.subject, Charset: 'UTF-8' },
          Body: { [mail.html ? 'Html' : 'Text']: { Data: mail.content, Charset: 'UTF-8' } },
          ...(mail.attachments.length
            ? { Attachments: mail.attachments.map((f) => ({ FileName: f.filename, RawContent: f.content.toString('base64'), ContentType: f.contentType })) }
            : {}),
        },
      },
    });
    if (answer.status === 200) return { recipient: to };
    return { recipient: to, error: str(answer.body?.message) || `HTTP ${answer.status}` };
  }

  async function sendBulk(mail: OutgoingEmail): Promise<SendResult[]> {
    const answer = await post('/v2/email/outbound-bulk-emails', {
      FromEmailAddress: named(config.from),
      ReplyToAddresses: [config.replyTo.email],
      DefaultContent: {
        Template: { TemplateContent: { Subject: mail.subject, [mail.html ? 'Html' : 'Text']: mail.content }, TemplateData: '{}' },
      },
      BulkEmailEntries: mail.to.map((to) => ({
        Destination: { ToAddresses: [to], ...copies(mail) },
        ReplacementEmailContent: { ReplacementTemplate: { ReplacementTemplateData: '{}' } },
      })),
    });
    if (answer.status !== 200) return allResults(mail.to, str(answer.body?.message) || `HTTP ${answer.status}`);
    const entries = (answer.body?.BulkEmailEntryResults ?? []) as { Status?: string; Error?: string }[];
    return mail.to.map((to, index) => {
      const entry = entries[index];
      return entry?.Status === 'SUCCESS' ? { recipient: to } : { recipient: to, error: str(entry?.Error) || str(entry?.Status) || 'Unknown error' };
    });
  }

  return {
    maxPerRequest: 50,
    async send(mail) {
      if (mail.attachments.length === 0 && !`${mail.subject}${mail.content}`.includes('{{')) return sendBulk(mail);
      const results: SendResult[] = new Array(mail.to.length);
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(10, mail.to.length) }, async () => {
          while (next < mail.to.length) {
            const index = next++;
            results[index] = await sendOne(mail, mail.to[index]!);
          }
        }),
      );
      return results;
    },
  };
}
