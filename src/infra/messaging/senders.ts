import { mailgunSender, resendSender, sendgridSender, smtpSender, type EmailProviderConfig } from './email-senders.js';
import { apnsSender, fcmSender } from './push-senders.js';
import type { MessageSender } from './sender.js';
import { sesSender } from './ses-sender.js';
import { webPushSender } from './webpush-sender.js';
import { msg91Sender, telesignSender, textmagicSender, twilioSender, vonageSender } from './sms-senders.js';

export interface ProviderAccess {
  provider: string;
  credentials: Record<string, unknown>;
  options: Record<string, unknown>;
  /** Operator-set API base URLs by provider name (tests, proxies, regional endpoints). */
  baseUrls: Readonly<Record<string, string>>;
  /** Whether user-given URLs (Web Push endpoints) may point at private addresses. */
  allowPrivateUrls: boolean;
}

const str = (value: unknown) => (typeof value === 'string' ? value : '');

/** The sender for a provider, or undefined for one this server cannot send through. */
export function createSender(access: ProviderAccess): MessageSender<any> | undefined {
  const { provider, credentials, options, baseUrls } = access;
  const from = { name: str(options.fromName), email: str(options.fromEmail) };
  const email: EmailProviderConfig = {
    credentials,
    options,
    baseUrls,
    from,
    // Replies go to the sender unless the provider names someone else.
    replyTo: options.replyToEmail ? { name: str(options.replyToName), email: str(options.replyToEmail) } : from,
  };
  const sms = { credentials, from: str(options.from), baseUrls };
  switch (provider) {
    case 'smtp':
      return smtpSender(email);
    case 'sendgrid':
      return sendgridSender(email);
    case 'mailgun':
      return mailgunSender(email);
    case 'resend':
      return resendSender(email);
    case 'ses':
      return sesSender(email);
    case 'twilio':
      return twilioSender(sms);
    case 'vonage':
      return vonageSender(sms);
    case 'msg91':
      return msg91Sender(sms);
    case 'telesign':
      return telesignSender(sms);
    case 'textmagic':
      return textmagicSender(sms);
    case 'fcm':
      return fcmSender({ credentials, options, baseUrls });
    case 'apns':
      return apnsSender({ credentials, options, baseUrls });
    case 'webpush':
      return webPushSender({
        subject: str(options.subject),
        publicKey: str(options.vapidPublicKey),
        privateKey: str(credentials.vapidPrivateKey),
        allowPrivateUrls: access.allowPrivateUrls,
      });
    default:
      return undefined;
  }
}
