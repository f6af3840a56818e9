import type { SmtpSettings } from './smtp-transport.js';

const DEFAULT_PORTS = { 'smtp:': 587, 'smtps:': 465 } as const;

/**
 * Reads `smtp://user:pass@host:587` (STARTTLS when the server offers it) or
 * `smtps://user:pass@host:465` (TLS from the first byte). Credentials may be percent-encoded.
 */
export function parseSmtpUrl(text: string): SmtpSettings {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error('must be a URL such as smtp://user:pass@host:587');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error(`must start with smtp:// or smtps://, not ${url.protocol}//`);
  if (!url.hostname) throw new Error('needs a host');
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : DEFAULT_PORTS[url.protocol],
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    secure: url.protocol === 'smtps:' ? 'ssl' : 'auto',
  };
}
