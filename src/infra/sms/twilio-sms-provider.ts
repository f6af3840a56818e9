import type { SmsProvider } from './sms-provider.js';

export interface TwilioSmsSettings {
  /** Base URL of a Twilio-compatible API, e.g. https://api.twilio.com */
  url: string;
  /** Account SID: part of the path and the basic-auth user. */
  account: string;
  token: string;
  from: string;
}

const TIMEOUT_MS = 10_000;

/** Sends through Twilio's Messages API, or anything that speaks it (form-encoded, basic auth). */
export function createTwilioSmsProvider(settings: TwilioSmsSettings): SmsProvider {
  const endpoint = `${settings.url.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(settings.account)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${settings.account}:${settings.token}`).toString('base64')}`;
  return {
    async send(sms) {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ To: sms.to, From: settings.from, Body: sms.text }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      // Drain the body so the connection can be reused; its text is not logged (it may echo ours).
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) throw new Error(`SMS provider answered ${response.status} ${response.statusText}`);
      return {};
    },
  };
}
