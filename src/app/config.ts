import { resolve } from 'node:path';
import { parseMailAddress, type MailAddress } from '../infra/mail/mail-address.js';
import type { SmtpSettings } from '../infra/mail/smtp-transport.js';
import { parseSmtpUrl } from '../infra/mail/smtp-url.js';
import type { TwilioSmsSettings } from '../infra/sms/twilio-sms-provider.js';

/** Everything the server reads from its environment; the README's table lists each variable. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Unset: SQLite files in the data directory. */
  databaseUrl: string | undefined;
  logLevel: string;
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
  /** Trust X-Forwarded-* headers from a reverse proxy in front. */
  trustProxy: boolean;
  /** Encrypts secrets at rest and signs tokens; generated into the data directory when unset. */
  secret: string | undefined;
  /** Abuse limits on the routes that declare them (`PLINTH_RATE_LIMITS=off` turns them off). */
  rateLimits: boolean;
  /** Mail of projects without their own SMTP server; unset `smtp`: captured to files. */
  mail: { smtp: SmtpSettings | undefined; from: MailAddress };
  /** Unset `provider`: text messages are captured to files. */
  sms: { provider: TwilioSmsSettings | undefined; from: string };
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: readInteger(env, 'PORT', 8080),
    host: env.PLINTH_HOST || '0.0.0.0',
    dataDir: resolve(env.PLINTH_DATA_DIR || './data'),
    databaseUrl: env.PLINTH_DB || undefined,
    logLevel: env.PLINTH_LOG_LEVEL || 'info',
    bodyLimit: readInteger(env, 'PLINTH_BODY_LIMIT', 16 * 1024 * 1024),
    trustProxy: env.PLINTH_TRUST_PROXY === 'true',
    secret: env.PLINTH_SECRET || undefined,
    rateLimits: env.PLINTH_RATE_LIMITS !== 'off',
    mail: readMail(env),
    sms: readSms(env),
  };
}

function readMail(env: NodeJS.ProcessEnv): Config['mail'] {
  const from = parseMailAddress(env.PLINTH_SMTP_FROM || 'Plinth <noreply@localhost>');
  if (!from) throw new Error(`PLINTH_SMTP_FROM must be "Name <address>" or an address, got "${env.PLINTH_SMTP_FROM}"`);
  if (!env.PLINTH_SMTP_URL) return { smtp: undefined, from };
  try {
    return { smtp: parseSmtpUrl(env.PLINTH_SMTP_URL), from };
  } catch (error) {
    // The URL holds a password: name the problem, never echo the value.
    throw new Error(`PLINTH_SMTP_URL ${(error as Error).message}`);
  }
}

function readSms(env: NodeJS.ProcessEnv): Config['sms'] {
  const from = env.PLINTH_SMS_FROM || '';
  if (!env.PLINTH_SMS_URL) return { provider: undefined, from };
  const missing = ['PLINTH_SMS_FROM', 'PLINTH_SMS_ACCOUNT', 'PLINTH_SMS_TOKEN'].filter((name) => !env[name]);
  if (missing.length > 0) throw new Error(`PLINTH_SMS_URL needs ${missing.join(', ')} as well`);
  if (!/^https?:\/\//.test(env.PLINTH_SMS_URL)) throw new Error('PLINTH_SMS_URL must be an http:// or https:// URL');
  return {
    provider: { url: env.PLINTH_SMS_URL, account: env.PLINTH_SMS_ACCOUNT!, token: env.PLINTH_SMS_TOKEN!, from },
    from,
  };
}

function readInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return value;
}
