import { readCaptured } from '../../infra/mail/capture-folder.js';
import type { CapturedSms } from '../../infra/sms/capture-sms-provider.js';
import type { CapturedMail } from './mail.js';

/** The only door to outgoing mail and SMS, mail templates and the SMTP server a project mails through. */
export { deliverMail, MAILS_QUEUE, sendTemplatedMail, type CapturedMail, type MailDelivery } from './mail.js';
export { deliverSms, MESSAGING_QUEUE, sendSms, type SmsDelivery } from './sms.js';
export { renderMail, type RenderedMail } from './render-mail.js';
export { builtInTemplate, type MailTemplate, type MailTemplateText, type TemplatedMail } from './templates.js';
export { defaultEmailTemplate, getEmailTemplate, listEmailTemplates, TEMPLATE_TYPES, updateEmailTemplate } from './custom-templates.js';
export { TEMPLATE_LOCALES } from './template-locales.js';
export { sendSmtpTest, toSmtpFields, updateSmtp, type SmtpTestSettings, type SmtpUpdate } from './smtp.js';
export type { CapturedSms };

/** Mail written to files while no SMTP server was configured, oldest first. */
export function listCapturedMail(dataDir: string, projectId: string): Promise<CapturedMail[]> {
  return readCaptured<CapturedMail>(dataDir, 'mail', projectId);
}

/** Text messages written to files while no SMS provider was configured, oldest first. */
export function listCapturedSms(dataDir: string, projectId: string): Promise<CapturedSms[]> {
  return readCaptured<CapturedSms>(dataDir, 'sms', projectId);
}
