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

/** What PATCH /project/smtp may change: an absent field keeps its value, null clears it. */
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

/**
 * Saves a project's SMTP settings. Enabling them needs a host, a port and a sender, and a
 * server that accepts the connection and the credentials, checked before anything is saved.
 */
export async function updateSmtp(deps: ServiceDeps, projectId: string, update: SmtpUpdate): Promise<void> {
  const current = await readSmtp(deps, projectId);
  const next: StoredSmtp = { ...current };
  for (const [field, value] of Object.entries(update) as [keyof StoredSmtp, unknown][]) {
    if (value === undefined) continue;
    const cleared = value === null ? DEFAULTS[field] : value;
    (next as unknown as Record<string, unknown>)[field] =
      field === 'password' && typeof cleared === 'string' && cleared !== '' ? encryptValue(deps.secretKey, cleared) : cleared;
  }
  if (next.enabled) {
    if (!next.host || !next.port || !next.senderEmail) {
      throw new AppError('project_smtp_config_invalid', 'Custom SMTP needs a host, a port and a sender email to be enabled.');
    }
    const transport = deps.smtp(connectionOf(deps, next));
    try {
      await transport.verify();
    } catch (error) {
      throw new AppError('project_smtp_config_invalid', `The SMTP server refused the connection: ${(error as Error).message}`);
    } finally {
      transport.close();
    }
  }
  await writeProjectSetting(deps.db.platform, projectId, SMTP_SETTING, next);
}

/** An SMTP server to test before saving it: the password in clear, as the caller sent it. */
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
 * Sends a short test message to each address: through the settings given (1.8 tests a server
 * before it is saved), or else through the project's own SMTP server, which must be enabled.
 */
export async function sendSmtpTest(deps: ServiceDeps, projectId: string, emails: string[], given?: SmtpTestSettings): Promise<void> {
  const smtp = given ?? (await savedSmtpForTest(deps, projectId));
  const transport = deps.smtp({ host: smtp.host, port: smtp.port, username: smtp.username, password: smtp.password, secure: smtp.secure });
  try {
    for (const to of emails) {
      await transport.send({
        from: { name: smtp.senderName || 'Plinth', address: smtp.senderEmail },
        ...(smtp.replyToEmail ? { replyTo: { name: smtp.replyToName, address: smtp.replyToEmail } } : {}),
        to,
        subject: 'Custom SMTP test',
        text: `This message confirms that project ${projectId} can send mail through ${smtp.host}.`,
      });
    }
  } catch (error) {
    throw new AppError('project_smtp_config_invalid', `The SMTP server did not accept the message: ${(error as Error).message}`);
  } finally {
    transport.close();
  }
}

async function savedSmtpForTest(deps: ServiceDeps, projectId: string): Promise<SmtpTestSettings> {
  const smtp = await readSmtp(deps, projectId);
  if (!smtp.enabled) throw new AppError('project_smtp_config_invalid', 'Custom SMTP is not enabled for this project.');
  const { enabled: _enabled, ...settings } = smtp;
  return { ...settings, password: connectionOf(deps, smtp).password };
}
