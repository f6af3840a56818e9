import { allResults, basicAuth, baseUrl, providerFetch, type MessageSender, type OutgoingSms, type SendResult } from './sender.js';

export interface SmsProviderConfig {
  credentials: Record<string, unknown>;
  from: string;
  baseUrls: Readonly<Record<string, string>>;
}

const str = (value: unknown) => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));
const withoutPlus = (phone: string) => phone.replace(/^\+/, '');
const form = (fields: Record<string, string>) => ({ 'content-type': 'application/x-www-form-urlencoded', body: new URLSearchParams(fields).toString() });

/** Twilio: one message per request. */
export function twilioSender(config: SmsProviderConfig): MessageSender<OutgoingSms> {
  const sid = str(config.credentials.accountSid);
  const url = `${baseUrl('twilio', 'https://api.twilio.com', config.baseUrls)}/2010-04-01/Accounts/${encodeURIComponent(sid)}/Messages.json`;
  return {
    maxPerRequest: 1,
    async send(sms) {
      const results: SendResult[] = [];
      for (const to of sms.to) {
        const { body, ...headers } = form({ Body: sms.content, From: config.from, To: to });
        const answer = await providerFetch(url, { method: 'POST', headers: { ...headers, authorization: basicAuth(sid, str(config.credentials.authToken)) }, body });
        results.push(answer.status >= 200 && answer.status < 300 ? { recipient: to } : { recipient: to, error: str(answer.body?.message) || `HTTP ${answer.status}` });
      }
      return results;
    },
  };
}

/** Vonage: one message per request; its errors come in a 200 answer's body. */
export function vonageSender(config: SmsProviderConfig): MessageSender<OutgoingSms> {
  const url = `${baseUrl('vonage', 'https://rest.nexmo.com', config.baseUrls)}/sms/json`;
  return {
    maxPerRequest: 1,
    async send(sms) {
      const results: SendResult[] = [];
      for (const to of sms.to) {
        const { body, ...headers } = form({
          text: sms.content,
          from: config.from,
          to: withoutPlus(to),
          api_key: str(config.credentials.apiKey),
          api_secret: str(config.credentials.apiSecret),
        });
        const answer = await providerFetch(url, { method: 'POST', headers, body });
        const first = answer.body?.messages?.[0];
        const ok = first !== undefined && Number(first.status) === 0;
        results.push(ok ? { recipient: to } : { recipient: to, error: str(first?.['error-text']) || `HTTP ${answer.status}` });
      }
      return results;
    },
  };
}

/** MSG91 flows: a template sent to many numbers at once. */
export function msg91Sender(config: SmsProviderConfig): MessageSender<OutgoingSms> {
  const url = `${baseUrl('msg91', 'https://api.msg91.com', config.baseUrls)}/api/v5/flow/`;
  return {
    maxPerRequest: 100,
    async send(sms) {
      const answer = await providerFetch(url, {
        method: 'POST',
        headers: { authkey: str(config.credentials.authKey), 'content-type': 'application/json' },
        body: JSON.stringify({
          sender: str(config.credentials.senderId),
          template_id: str(config.credentials.templateId),
          recipients: sms.to.map((to) => ({ mobiles: withoutPlus(to), content: sms.content, otp: sms.content })),
        }),
      });
      return answer.status === 200 ? allResults(sms.to) : allResults(sms.to, 'Unknown error');
    },
  };
}

/** Telesign bulk SMS: one template, many numbers. */
export function telesignSender(config: SmsProviderConfig): MessageSender<OutgoingSms> {
  const url = `${baseUrl('telesign', 'https://rest-ww.telesign.com', config.baseUrls)}/v1/verify/bulk_sms`;
  let sequence = 0;
  return {
    maxPerRequest: 1000,
    async send(sms) {
      const recipients = sms.to.map((to) => `${withoutPlus(to)}:${Date.now().toString(16)}${(sequence++).toString(16)}`).join(',');
      const { body, ...headers } = form({ template: sms.content, recipients });
      const auth = basicAuth(str(config.credentials.customerId), str(config.credentials.apiKey));
      const answer = await providerFetch(url, { method: 'POST', headers: { ...headers, authorization: auth }, body });
      return answer.status === 200 ? allResults(sms.to) : allResults(sms.to, str(answer.body?.errors?.[0]?.description) || `HTTP ${answer.status}`);
    },
  };
}

/** TextMagic: one text to a comma list of numbers. */
export function textmagicSender(config: SmsProviderConfig): MessageSender<OutgoingSms> {
  const url = `${baseUrl('textmagic', 'https://rest.textmagic.com', config.baseUrls)}/api/v2/messages`;
  return {
    maxPerRequest: 1000,
    async send(sms) {
      const { body, ...headers } = form({ text: sms.content, from: withoutPlus(config.from), phones: sms.to.map(withoutPlus).join(',') });
      const answer = await providerFetch(url, {
        method: 'POST',
        headers: { ...headers, 'x-tm-username': str(config.credentials.username), 'x-tm-key': str(config.credentials.apiKey) },
        body,
      });
      return answer.status >= 200 && answer.status < 300 ? allResults(sms.to) : allResults(sms.to, str(answer.body?.message) || `HTTP ${answer.status}`);
    },
  };
}
