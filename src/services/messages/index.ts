import { readCaptured } from '../../infra/mail/capture-folder.js';
import type { CapturedSms } from '../../infra/sms/capture-sms-provider.js';
import type { CapturedMail } from './mail.js';

/** The only door to outgoing mail and SMS: other services call these, workers deliver. */
export type MailTemplate = 'verification' | 'magicSession' | 'recovery' | 'invitation' | 'mfaChallenge' | 'sessionAlert' | 'otpSession';

export interface TemplatedMail {
  projectId: string;
  template: MailTemplate;
  /** Only 'en' templates exist for now; unknown locales fall back to English. */
  locale?: string;
  to: { email: string; name: string };
  /** Filled into the template: url (a link), otp (a code), user, project, team, inviter, ip, agent, expire… */
  variables: Record<string, string>;
}

export { deliverMail, MAILS_QUEUE, sendTemplatedMail, type CapturedMail, type MailDelivery } from './mail.js';
export { deliverSms, MESSAGING_QUEUE, sendSms, type SmsDelivery } from './sms.js';
export { renderMail, type RenderedMail } from './render-mail.js';
export { builtInTemplate, type MailTemplateText } from './templates.js';
export type { CapturedSms };

/** Mail written to files while no SMTP server was configured, oldest first. */
export function listCapturedMail(dataDir: string, projectId: string): Promise<CapturedMail[]> {
  return readCaptured<CapturedMail>(dataDir, 'mail', projectId);
}

/** Text messages written to files while no SMS provider was configured, oldest first. */
export function listCapturedSms(dataDir: string, projectId: string): Promise<CapturedSms[]> {
  return readCaptured<CapturedSms>(dataDir, 'sms', projectId);
}
