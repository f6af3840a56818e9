import { decryptValue, encryptValue } from '../../core/crypto.js';
import { AppError } from '../../core/errors.js';
import { readProjectSetting, writeProjectSetting } from '../../data/platform/settings.js';
import type { SmtpSettings } from '../../infra/mail/smtp-transport.js';
import type { ServiceDeps } from '../deps.js';

const SMTP_SETTING = 'smtp';

/** A project's own SMTP server, as stored: the password encrypted with the server secret. */
export interface StoredSmtp {
  enabled: boolean;
  host: string;
  port: number;
  username: string;
  password: string;
  senderEmail: string;
  senderName: string;
  replyToEmail: string;
  replyToName: string;
  secure: '' | 'tls' | 'ssl';
}

/** What PATCH /project/smtp may change: an absent (or null) field keeps its value, an empty string clears it. */
export type SmtpUpdate = { [K in keyof StoredSmtp]?: StoredSmtp[K] | null };

const DEFAULTS: StoredSmtp = {
  enabled: false,
  host: '',
  port: 0,
  username: '',
  password: '',
  senderEmail: '',
  senderName: '',
  replyToEmail: '',
  replyToName: '',
  secure: '',
};

function withDefaults(stored: unknown): StoredSmtp {
  return { ...DEFAULTS, ...(stored as Partial<StoredSmtp> | undefined) };
}

export function storedSmtp(settings: ReadonlyMap<string, unknown>): StoredSmtp {
  return withDefaults(settings.get(SMTP_SETTING));
}

/** The SMTP fields of the project model; the password is write-only. */
export function toSmtpFields(settings: ReadonlyMap<string, unknown>) {
  const smtp = storedSmtp(settings);
  return {
    smtpEnabled: smtp.enabled,
    smtpSenderName: smtp.senderName,
    smtpSenderEmail: smtp.senderEmail,
    smtpReplyToName: smtp.replyToName,
    smtpReplyToEmail: smtp.replyToEmail,
    smtpHost: smtp.host,
    smtpPort: smtp.port,
    smtpUsername: smtp.username,
    smtpPassword: '',
    smtpSecure: smtp.secure,
  };
}

async function readSmtp(deps: ServiceDeps, projectId: string): Promise<StoredSmtp> {
  return withDefaults(await readProjectSetting(deps.db.platform, projectId, SMTP_SETTING));
}

function connectionOf(deps: ServiceDeps, smtp: StoredSmtp): SmtpSettings {
  return {
    host: smtp.host,
    port: smtp.port,
    username: smtp.username,
    password: smtp.password ? decryptValue(deps.secretKey, smtp.password) : '',
    secure: smtp.secure,
  };
}

/** The fields an enabled custom SMTP needs, in the order Appwrite names a missing one. */
const REQUIRED_WHEN_ENABLED = ['host', 'port', 'senderEmail'] as const;

/**
 * Saves a project's SMTP settings, as Appwrite does. Enabled settings need a host, a port and a
 * sender. Unless the request switches SMTP off, settings with a sender are tried on the server:
 * a failure refuses enabled settings (and saves nothing), while a success enables settings the
 * request left the switch of untouched.
 */
export async function updateSmtp(deps: ServiceDeps, projectId: string, update: SmtpUpdate): Promise<void> {
  const current = await readSmtp(deps, projectId);
  const next: StoredSmtp = { ...current };
  for (const [field, value] of Object.entries(update) as [keyof StoredSmtp, unknown][]) {
    if (value === undefined || value === null) continue;
    (next as unknown as Record<string, unknown>)[field] = field === 'password' && value !== '' ? encryptValue(deps.secretKey, value as string) : value;
  }
  if (next.enabled) {
    const missing = REQUIRED_WHEN_ENABLED.find((field) => !next[field]);
    if (missing) throw new AppError('general_argument_invalid', `Param "${missing}" is not optional.`);
  }
  const switchUntouched = update.enabled === undefined || update.enabled === null;
  if ((switchUntouched || update.enabled === true) && next.senderEmail) {
    const failure = await connectionFailure(deps, next);
    if (failure === undefined && switchUntouched) next.enabled = true;
    if (failure !== undefined && next.enabled) throw new AppError('project_smtp_config_invalid', failure);
  }
  await writeProjectSetting(deps.db.platform, projectId, SMTP_SETTING, next);
}

/** Why the server refuses the settings (connecting, or signing in), or undefined when it takes them. */
async function connectionFailure(deps: ServiceDeps, smtp: StoredSmtp): Promise<string | undefined> {
  if (!smtp.host || !smtp.port) return 'SMTP Error: Could not connect to SMTP host.';
  const transport = deps.smtp(connectionOf(deps, smtp));
  try {
    await transport.verify();
    return undefined;
  } catch (error) {
    return smtpErrorMessage(error);
  } finally {
    transport.close();
  }
}

/** The failure in the words PHPMailer gives Appwrite's answers, with the server's own reason. */
function smtpErrorMessage(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const what = code === 'EAUTH' ? 'Could not authenticate' : 'Could not connect to SMTP host';
  return `SMTP Error: ${what}. ${message ?? ''}`.trim();
}

/**
 * An SMTP server named in the test request itself (a deprecated form Appwrite still takes): used
 * as given, the project's saved settings ignored, whenever it names a host.
 */
export interface SmtpTestSettings {
  host: string;
  port: number;
  username: string;
  password: string;
  secure: '' | 'tls' | 'ssl';
  senderEmail: string;
  senderName: string;
  replyToEmail: string;
  replyToName: string;
}

/**
 * Sends a short test message to each address, through the server the request names or else the
 * project's own, which must then be enabled. Appwrite queues these mails; Plinth sends them at
 * once, so a server that refuses them is reported (400 `project_smtp_config_invalid`).
 */
export async function sendSmtpTest(deps: ServiceDeps, projectId: string, emails: string[], given?: SmtpTestSettings): Promise<void> {
  const smtp = given?.host ? given : await savedSmtpForTest(deps, projectId);
  const unset = !smtp.senderEmail ? 'sender email' : !smtp.host ? 'host' : !smtp.port ? 'port' : undefined;
  if (unset) throw new AppError('general_argument_invalid', `SMTP ${unset} must be configured on the project to send a test email.`);
  if (emails.length === 0) return;
  const transport = deps.smtp({ host: smtp.host, port: smtp.port, username: smtp.username, password: smtp.password, secure: smtp.secure });
  try {
    for (const to of emails) {
      await transport.send({
        from: { name: smtp.senderName || 'Plinth', address: smtp.senderEmail },
        ...(smtp.replyToEmail ? { replyTo: { name: smtp.replyToName || smtp.senderName, address: smtp.replyToEmail } } : {}),
        to,
        subject: 'Custom SMTP email sample',
        text: `Your custom SMTP settings are working correctly: project ${projectId} can send mail through ${smtp.host}.`,
      });
    }
  } catch (error) {
    throw new AppError('project_smtp_config_invalid', smtpErrorMessage(error));
  } finally {
    transport.close();
  }
}

async function savedSmtpForTest(deps: ServiceDeps, projectId: string): Promise<SmtpTestSettings> {
  const smtp = await readSmtp(deps, projectId);
  if (!smtp.enabled) throw new AppError('general_argument_invalid', 'SMTP must be enabled on the project to send a test email.');
  const { enabled: _enabled, ...settings } = smtp;
  return { ...settings, password: connectionOf(deps, smtp).password };
}
