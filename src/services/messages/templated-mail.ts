import type { MailAddress } from '../../infra/mail/mail-address.js';
import type { ServiceDeps } from '../deps.js';
import { findCustomTemplate, type StoredTemplate } from './custom-templates.js';
import { renderMail, type RenderedMail } from './render-mail.js';
import { builtInTemplate, type TemplatedMail } from './templates.js';

/** A template's own sender; applied only when the mail leaves through the project's own SMTP. */
export interface TemplateSender {
  from?: MailAddress;
  replyTo?: MailAddress;
}

export interface TemplatedContent extends RenderedMail {
  sender?: TemplateSender;
}

const PLACEHOLDER = /\{\{\s*([a-zA-Z][a-zA-Z0-9_]*)\s*\}\}/g;
const HTML_TAG = /<\/?[a-zA-Z][^>]*>/;
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const HTML_ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&nbsp;': ' ' };

/**
 * The mail's subject and body: the project's template for its type and locale when it
 * wrote one, else the built-in text of that locale (English when there is none).
 */
export async function renderTemplatedMail(deps: ServiceDeps, mail: TemplatedMail): Promise<TemplatedContent> {
  const custom = await findCustomTemplate(deps, mail.projectId, mail.template, mail.locale);
  if (!custom) return renderMail(builtInTemplate(mail.template, mail.locale), mail.variables);
  const sender = senderOf(custom);
  return { ...renderCustomTemplate(custom, withAppwriteNames(mail.variables)), ...(sender ? { sender } : {}) };
}

/** Templates written for Appwrite name the link `redirect` and the inviter `owner`. */
function withAppwriteNames(variables: Record<string, string>): Record<string, string> {
  return {
    ...(variables.url !== undefined ? { redirect: variables.url } : {}),
    ...(variables.inviter !== undefined ? { owner: variables.inviter } : {}),
    ...variables,
  };
}

/**
 * A plain-text message renders as the built-in ones do. A message with HTML tags is sent as
 * HTML with each value escaped, and its text part is the same message with the tags removed.
 */
export function renderCustomTemplate(template: Pick<StoredTemplate, 'subject' | 'message'>, variables: Record<string, string>): RenderedMail {
  if (!HTML_TAG.test(template.message)) return renderMail(template, variables);
  const subject = template.subject.replace(PLACEHOLDER, (_, name: string) => variables[name] ?? '').replace(/[\r\n]+/g, ' ').trim();
  const html = template.message.replace(PLACEHOLDER, (_, name: string) => escapeHtml(variables[name] ?? ''));
  return { subject, html, text: textOf(html) };
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

function textOf(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|h[1-6]|li|tr)>/gi, '\n\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (entity) => HTML_ENTITIES[entity]!)
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function senderOf(template: StoredTemplate): TemplateSender | undefined {
  const sender: TemplateSender = {
    ...(template.senderEmail ? { from: { name: template.senderName, address: template.senderEmail } } : {}),
    ...(template.replyToEmail ? { replyTo: { name: template.replyToName, address: template.replyToEmail } } : {}),
  };
  return sender.from || sender.replyTo ? sender : undefined;
}
