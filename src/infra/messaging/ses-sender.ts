import { onFirstUse } from '../../core/load-package.js';
import type { EmailProviderConfig } from './email-senders.js';
import { baseUrl, providerFetch, type MessageSender, type OutgoingEmail, type SendResult } from './sender.js';

const loadAws4 = onFirstUse<typeof import('aws4')>('aws4');
const str = (value: unknown) => (typeof value === 'string' ? value : '');
const named = (who: { name: string; email: string }) => (who.name ? `${who.name} <${who.email}>` : who.email);

/**
 * Amazon SES (API v2): one SigV4-signed SendEmail per recipient, each seeing only
 * themself, attachments included; up to 50 recipients a batch, 10 requests at once.
 */
export function sesSender(config: EmailProviderConfig): MessageSender<OutgoingEmail> {
  const region = str(config.credentials.region);
  const url = new URL(`${baseUrl('ses', `https://email.${region}.amazonaws.com`, config.baseUrls)}/v2/email/outbound-emails`);
  const keys = { accessKeyId: str(config.credentials.accessKey), secretAccessKey: str(config.credentials.secretKey) };

  async function sendOne(mail: OutgoingEmail, to: string): Promise<SendResult> {
    const body = JSON.stringify({
      FromEmailAddress: named(config.from),
      ReplyToAddresses: [config.replyTo.email],
      Destination: { ToAddresses: [to], ...(mail.cc.length ? { CcAddresses: mail.cc } : {}), ...(mail.bcc.length ? { BccAddresses: mail.bcc } : {}) },
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
    const signed = loadAws4().sign(
      { host: url.host, path: url.pathname, method: 'POST', service: 'ses', region, headers: { 'content-type': 'application/json' }, body },
      keys,
    );
    const headers = Object.fromEntries(Object.entries(signed.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'host' && name.toLowerCase() !== 'content-length')) as Record<string, string>;
    const answer = await providerFetch(url.toString(), { method: 'POST', headers, body });
    if (answer.status === 200) return { recipient: to };
    return { recipient: to, error: str(answer.body?.message) || `HTTP ${answer.status}` };
  }

  return {
    maxPerRequest: 50,
    async send(mail) {
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
