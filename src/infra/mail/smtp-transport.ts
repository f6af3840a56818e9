import { onFirstUse } from '../../core/load-package.js';
import type { MailAddress } from './mail-address.js';

export interface SmtpSettings {
  host: string;
  port: number;
  username: string;
  password: string;
  /**
   * `ssl`: TLS from the first byte; `tls`: STARTTLS required; empty: no encryption;
   * `auto`: STARTTLS when the server offers it (the server-wide `smtp://` URL).
   */
  secure: '' | 'tls' | 'ssl' | 'auto';
}

export interface OutgoingMail {
  from: MailAddress;
  replyTo?: MailAddress;
  to: string | MailAddress;
  subject: string;
  text: string;
  html?: string;
}

export interface SmtpTransport {
  /** Connects and authenticates, so a bad configuration is refused when it is saved. */
  verify(): Promise<void>;
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export type SmtpTransportFactory = (settings: SmtpSettings) => SmtpTransport;

const TIMEOUT_MS = 10_000;
const loadNodemailer = onFirstUse<typeof import('nodemailer')>('nodemailer');

export const createSmtpTransport: SmtpTransportFactory = (settings) => {
  const transporter = loadNodemailer().createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure === 'ssl',
    requireTLS: settings.secure === 'tls',
    ignoreTLS: settings.secure === '',
    auth: settings.username ? { user: settings.username, pass: settings.password } : undefined,
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
  });
  return {
    async verify() {
      await transporter.verify();
    },
    async send(mail) {
      await transporter.sendMail(mail);
    },
    close: () => transporter.close(),
  };
};
