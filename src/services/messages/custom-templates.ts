import type { ParsedList } from '../../core/queries.js';
import { AppError } from '../../core/errors.js';
import { findProject } from '../../data/platform/projects.js';
import { readProjectSetting, readProjectSettings, writeProjectSetting } from '../../data/platform/settings.js';
import type { ServiceDeps } from '../deps.js';
import { pageOf } from '../../core/list-page.js';
import { normaliseLocale } from './template-locales.js';
import { builtInTemplate, type MailTemplate } from './templates.js';

export const TEMPLATE_TYPES = ['verification', 'magicSession', 'recovery', 'invitation', 'mfaChallenge', 'sessionAlert', 'otpSession'] as const satisfies readonly MailTemplate[];

/** A project's own version of one template in one locale, as stored. */
export interface StoredTemplate {
  subject: string;
  message: string;
  senderName: string;
  senderEmail: string;
  replyToEmail: string;
  replyToName: string;
}

/** What PATCH may change: an absent field keeps its value, null puts back the default. */
export type TemplateUpdate = { [K in keyof StoredTemplate]?: StoredTemplate[K] | null };

/** Appwrite's `emailTemplate` model. */
export interface EmailTemplateModel extends StoredTemplate {
  templateId: MailTemplate;
  locale: string;
}

const PREFIX = 'template:email:';
const DEFAULT_LOCALE = 'en';

/** `template:email:<type>:<locale>` in project_settings, the locale lower-cased with hyphens. */
export const templateSetting = (type: MailTemplate, locale: string): string => `${PREFIX}${type}:${normaliseLocale(locale)}`;

function defaultTemplate(type: MailTemplate, locale: string): StoredTemplate {
  const text = builtInTemplate(type, locale);
  return { subject: text.subject, message: text.message, senderName: '', senderEmail: '', replyToEmail: '', replyToName: '' };
}

function asStored(value: unknown): StoredTemplate | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const stored = value as Partial<StoredTemplate>;
  if (typeof stored.subject !== 'string' || typeof stored.message !== 'string') return undefined;
  return {
    subject: stored.subject,
    message: stored.message,
    senderName: stored.senderName ?? '',
    senderEmail: stored.senderEmail ?? '',
    replyToEmail: stored.replyToEmail ?? '',
    replyToName: stored.replyToName ?? '',
  };
}

async function readStored(deps: ServiceDeps, projectId: string, type: MailTemplate, locale: string): Promise<StoredTemplate | undefined> {
  return asStored(await readProjectSetting(deps.db.platform, projectId, templateSetting(type, locale)));
}

/** The project's template when it wrote one, else the built-in text with no sender of its own. */
/** The built-in template of a type and locale, whatever a project wrote. */
export function defaultEmailTemplate(type: MailTemplate, locale = DEFAULT_LOCALE): EmailTemplateModel {
  return { templateId: type, locale: normaliseLocale(locale), ...defaultTemplate(type, locale) };
}

export async function getEmailTemplate(deps: ServiceDeps, projectId: string, type: MailTemplate, locale = DEFAULT_LOCALE): Promise<EmailTemplateModel> {
  const stored = await readStored(deps, projectId, type, locale);
  return { templateId: type, locale: normaliseLocale(locale), ...(stored ?? defaultTemplate(type, locale)) };
}

export async function updateEmailTemplate(
  deps: ServiceDeps,
  projectId: string,
  type: MailTemplate,
  locale: string | undefined,
  update: TemplateUpdate,
): Promise<EmailTemplateModel> {
  if (!(await findProject(deps.db.platform, projectId))) throw new AppError('project_not_found');
  const where = locale || DEFAULT_LOCALE;
  const defaults = defaultTemplate(type, where);
  const next: StoredTemplate = { ...((await readStored(deps, projectId, type, where)) ?? defaults) };
  for (const field of Object.keys(defaults) as (keyof StoredTemplate)[]) {
    const value = update[field];
    if (value !== undefined) next[field] = value ?? defaults[field];
  }
  await writeProjectSetting(deps.db.platform, projectId, templateSetting(type, where), next);
  return { templateId: type, locale: normaliseLocale(where), ...next };
}

/** The templates the project wrote, by type then locale; only limit and offset apply. */
export async function listEmailTemplates(deps: ServiceDeps, projectId: string, list: ParsedList, total: boolean) {
  const settings = await readProjectSettings(deps.db.platform, projectId);
  const templates: EmailTemplateModel[] = [];
  for (const [name, value] of settings) {
    if (!name.startsWith(PREFIX)) continue;
    const [type, locale] = name.slice(PREFIX.length).split(':') as [MailTemplate, string];
    const stored = asStored(value);
    if (stored && (TEMPLATE_TYPES as readonly string[]).includes(type)) templates.push({ templateId: type, locale, ...stored });
  }
  templates.sort((a, b) => TEMPLATE_TYPES.indexOf(a.templateId) - TEMPLATE_TYPES.indexOf(b.templateId) || a.locale.localeCompare(b.locale));
  return { total: total ? templates.length : 0, templates: pageOf(templates, list) };
}

/**
 * The project's own template for a mail: the exact locale, then its language (`de` for
 * `de-ch`). Undefined sends the built-in text; an `en` override is no fallback for others.
 */
export async function findCustomTemplate(deps: ServiceDeps, projectId: string, type: MailTemplate, locale?: string): Promise<StoredTemplate | undefined> {
  const wanted = normaliseLocale(locale || DEFAULT_LOCALE);
  const language = wanted.split('-')[0] ?? wanted;
  const candidates = language === wanted ? [wanted] : [wanted, language];
  for (const candidate of candidates) {
    const stored = await readStored(deps, projectId, type, candidate);
    if (stored) return stored;
  }
  return undefined;
}
