import { isIP, isIPv4, isIPv6 } from 'node:net';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isValidDomain, normalizeDomain } from '../core/domains.js';
import { DEFAULT_REGEX_TIMEOUT_MS } from '../data/dialects/sqlite-regexp.js';
import { DEFAULT_OPEN_PROJECT_STORES } from '../data/dialects/sqlite-store-pool.js';
import { parseClamavAddress, type ClamavAddress } from '../infra/antivirus/clamav.js';
import { parseS3Url } from '../infra/files/open-file-store.js';
import { parseMailAddress, type MailAddress } from '../infra/mail/mail-address.js';
import type { SmtpSettings } from '../infra/mail/smtp-transport.js';
import { parseSmtpUrl } from '../infra/mail/smtp-url.js';
import type { TwilioSmsSettings } from '../infra/sms/twilio-sms-provider.js';
import type { HttpTimeouts } from '../http/timeouts.js';
import { parseTrustProxy, type TrustProxy } from '../http/trust-proxy.js';
import type { RealtimeSettings } from '../services/realtime/index.js';
import { DEFAULT_GRAPHQL_SETTINGS, type GraphqlSettings } from '../services/graphql/index.js';
import { DEFAULT_MAX_CODE_BYTES, type FunctionsSettings } from '../services/functions/index.js';
import type { ConsoleSignUpMode, ConsoleSignUpPolicy } from '../core/console-sign-up.js';
import type { ProxySettings } from '../services/proxy/index.js';
import { DEFAULT_SSR_START_TIMEOUT_SECONDS, type SitesSettings } from '../services/sites/index.js';
import { DEFAULT_MESSAGING_SETTINGS, parseBaseUrls, type MessagingSettings } from '../services/messaging/index.js';
import { DEFAULT_WEBHOOK_SETTINGS, type WebhookSettings } from '../services/webhooks/index.js';
import { DEFAULT_AVATAR_SETTINGS, type AvatarSettings } from '../services/avatars/index.js';

/** Everything the server reads from its environment; docs/configuration.md lists each variable. */
export interface Config {
  port: number;
  host: string;
  /** Where browsers and OAuth2 providers reach this server (`PLINTH_PUBLIC_URL`); unset: its listening address. */
  publicUrl: string | undefined;
  dataDir: string;
  /** Unset: SQLite files in the data directory. */
  databaseUrl: string | undefined;
  /** How long the regex matches of one SQLite query may hold the event loop before it fails (408). */
  sqliteRegexTimeoutMs: number;
  /** How many SQLite project files stay open while idle; the least recently used close first. */
  sqliteOpenProjects: number;
  /** PostgreSQL connections this process keeps (`PLINTH_DB_POOL`); unset: sized from the machine's cores. */
  postgresPoolSize: number | undefined;
  /** PostgreSQL: name repeated statements so the server plans them once per connection (`PLINTH_DB_PREPARED`). */
  postgresNamedStatements: boolean;
  /** Answers carry `X-Plinth-Statements`, the SQL statements each request sent (`PLINTH_COUNT_STATEMENTS=on`). */
  countStatements: boolean;
  logLevel: string;
  /** Largest request body accepted, in bytes (uploads and other non-JSON bodies). */
  bodyLimit: number;
  /** Largest JSON request body accepted, in bytes. */
  jsonBodyLimit: number;
  /** Which reverse proxies in front may set X-Forwarded-*: none, a hop count, or their addresses. */
  trustProxy: TrustProxy;
  /** How long clients may take to send requests; websockets are not limited by these. */
  httpTimeouts: HttpTimeouts;
  /** Encrypts secrets at rest and signs tokens; generated into the data directory when unset. */
  secret: string | undefined;
  /** Abuse limits on the routes that declare them (`PLINTH_RATE_LIMITS=off` turns them off). */
  rateLimits: boolean;
  /** `serve` runs the background workers too; off (`PLINTH_WORKERS=off`): `plinth worker` processes do. */
  workers: boolean;
  /** Mail of projects without their own SMTP server; unset `smtp`: captured to files. */
  mail: { smtp: SmtpSettings | undefined; from: MailAddress };
  /** Unset `provider`: text messages are captured to files. */
  sms: { provider: TwilioSmsSettings | undefined; from: string };
  /** Unset: events stay in this process; set: they travel between nodes over Redis pub/sub. */
  redisUrl: string | undefined;
  /** The pub/sub channel the nodes of one deployment share on that Redis. */
  redisChannel: string;
  /** Limits of the realtime websocket endpoint. */
  realtime: RealtimeSettings;
  /** How often workers end lapsed presences (those of a node that died among them), in seconds. */
  presenceSweepSeconds: number;
  /** Limits of the GraphQL endpoint. */
  graphql: GraphqlSettings;
  /** How functions are sandboxed and kept warm. */
  functions: FunctionsSettings;
  /** What custom domains must point to, and the DNS servers that check it. */
  proxy: ProxySettings;
  sites: SitesSettings;
  /** How long a queued job's claim lasts unless its worker renews it: how soon a dead worker's job runs elsewhere. */
  jobLeaseMs: number;
  /** Where messaging providers' APIs are reached, and how throttled sends are retried. */
  messaging: MessagingSettings;
  /** Whether webhooks may reach private addresses, and how many failures in a row disable one. */
  webhooks: WebhookSettings;
  /** What avatars may fetch from user-given URLs, and the Chromium that takes screenshots. */
  avatars: AvatarSettings;
  /** Unset: files in the data directory; `s3://…`: objects of an S3-compatible bucket. */
  filesUrl: string | undefined;
  /** The ClamAV daemon that scans uploads to buckets with antivirus on; unset: no scanning. */
  clamav: ClamavAddress | undefined;
  /** Who may sign up to the console project, becoming an administrator. */
  consoleSignUp: ConsoleSignUpPolicy;
  /** The web console's build, served at `/console`; unset (`PLINTH_CONSOLE=off`): not served. */
  consoleDir: string | undefined;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const bodyLimit = readInteger(env, 'PLINTH_BODY_LIMIT', 16 * 1024 * 1024);
  return {
    port: readInteger(env, 'PORT', 8080),
    host: env.PLINTH_HOST || '0.0.0.0',
    publicUrl: env.PLINTH_PUBLIC_URL ? readSetting('PLINTH_PUBLIC_URL', () => parsePublicUrl(env.PLINTH_PUBLIC_URL!)) : undefined,
    dataDir: resolve(env.PLINTH_DATA_DIR || './data'),
    databaseUrl: env.PLINTH_DB || undefined,
    sqliteRegexTimeoutMs: readInteger(env, 'PLINTH_SQLITE_REGEX_TIMEOUT_MS', DEFAULT_REGEX_TIMEOUT_MS),
    sqliteOpenProjects: readInteger(env, 'PLINTH_SQLITE_OPEN_PROJECTS', DEFAULT_OPEN_PROJECT_STORES),
    postgresPoolSize: env.PLINTH_DB_POOL ? Math.max(1, readInteger(env, 'PLINTH_DB_POOL', 1)) : undefined,
    postgresNamedStatements: readSwitch(env, 'PLINTH_DB_PREPARED', true),
    countStatements: readSwitch(env, 'PLINTH_COUNT_STATEMENTS', false),
    logLevel: env.PLINTH_LOG_LEVEL || 'info',
    bodyLimit,
    // A lower PLINTH_BODY_LIMIT lowers it too.
    jsonBodyLimit: readInteger(env, 'PLINTH_JSON_BODY_LIMIT', Math.min(4 * 1024 * 1024, bodyLimit)),
    trustProxy: readSetting('PLINTH_TRUST_PROXY', () => parseTrustProxy(env.PLINTH_TRUST_PROXY)),
    httpTimeouts: readHttpTimeouts(env),
    secret: env.PLINTH_SECRET || undefined,
    rateLimits: env.PLINTH_RATE_LIMITS !== 'off',
    workers: readSwitch(env, 'PLINTH_WORKERS', true),
    mail: readMail(env),
    sms: readSms(env),
    redisUrl: env.PLINTH_REDIS || undefined,
    redisChannel: env.PLINTH_REDIS_CHANNEL || 'plinth:events',
    realtime: {
      maxFrameBytes: readInteger(env, 'PLINTH_REALTIME_MAX_FRAME', 64 * 1024),
      messagesPerMinute: readInteger(env, 'PLINTH_REALTIME_MESSAGES_PER_MINUTE', 32),
      connectionsPerMinute: readInteger(env, 'PLINTH_REALTIME_CONNECTIONS_PER_MINUTE', 128),
      maxBufferedBytes: readInteger(env, 'PLINTH_REALTIME_MAX_BUFFER', 4 * 1024 * 1024),
    },
    // At least a second: the sweep reads every project that publishes events.
    presenceSweepSeconds: Math.max(1, readInteger(env, 'PLINTH_PRESENCE_SWEEP_SECONDS', 30)),
    graphql: {
      maxBatch: readInteger(env, 'PLINTH_GRAPHQL_MAX_BATCH', DEFAULT_GRAPHQL_SETTINGS.maxBatch),
      // As Appwrite with `_APP_OPTIONS_ABUSE=disabled`: no depth or cost limit while abuse limits are off.
      maxDepth: env.PLINTH_RATE_LIMITS === 'off' ? 0 : readInteger(env, 'PLINTH_GRAPHQL_MAX_DEPTH', DEFAULT_GRAPHQL_SETTINGS.maxDepth),
      maxComplexity: env.PLINTH_RATE_LIMITS === 'off' ? 0 : readInteger(env, 'PLINTH_GRAPHQL_MAX_COMPLEXITY', DEFAULT_GRAPHQL_SETTINGS.maxComplexity),
      introspection: readSwitch(env, 'PLINTH_GRAPHQL_INTROSPECTION', DEFAULT_GRAPHQL_SETTINGS.introspection),
    },
    functions: readFunctions(env),
    proxy: readProxy(env),
    sites: {
      hostDomain: `sites.${(env.PLINTH_DOMAIN || 'localhost').toLowerCase()}`,
      ssrConcurrency: env.PLINTH_SITES_SSR_CONCURRENCY ? Math.max(1, readInteger(env, 'PLINTH_SITES_SSR_CONCURRENCY', 1)) : undefined,
      ssrStartTimeoutSeconds: Math.max(1, readInteger(env, 'PLINTH_SITES_START_TIMEOUT', DEFAULT_SSR_START_TIMEOUT_SECONDS)),
    },
    jobLeaseMs: readInteger(env, 'PLINTH_JOB_LEASE_MS', 60_000),
    messaging: {
      ...DEFAULT_MESSAGING_SETTINGS,
      baseUrls: readSetting('PLINTH_MESSAGING_BASE_URLS', () => parseBaseUrls(env.PLINTH_MESSAGING_BASE_URLS)),
      retryDelayMs: readInteger(env, 'PLINTH_MESSAGING_RETRY_DELAY_MS', DEFAULT_MESSAGING_SETTINGS.retryDelayMs),
      allowPrivateUrls: env.PLINTH_ALLOW_PRIVATE_URLS === 'true',
    },
    webhooks: {
      ...DEFAULT_WEBHOOK_SETTINGS,
      allowPrivateUrls: env.PLINTH_ALLOW_PRIVATE_URLS === 'true',
      maxFailedAttempts: readInteger(env, 'PLINTH_WEBHOOK_MAX_FAILED_ATTEMPTS', DEFAULT_WEBHOOK_SETTINGS.maxFailedAttempts),
    },
    avatars: {
      allowPrivateUrls: env.PLINTH_ALLOW_PRIVATE_URLS === 'true',
      maxRemoteBytes: readInteger(env, 'PLINTH_AVATARS_MAX_REMOTE_BYTES', DEFAULT_AVATAR_SETTINGS.maxRemoteBytes),
      remoteTimeoutMs: readInteger(env, 'PLINTH_AVATARS_REMOTE_TIMEOUT_MS', DEFAULT_AVATAR_SETTINGS.remoteTimeoutMs),
      chromiumPath: readChromiumPath(env),
    },
    filesUrl: readFilesUrl(env),
    clamav: env.PLINTH_CLAMAV ? readSetting('PLINTH_CLAMAV', () => parseClamavAddress(env.PLINTH_CLAMAV!)) : undefined,
    consoleSignUp: readConsoleSignUp(env),
    consoleDir: readSwitch(env, 'PLINTH_CONSOLE', true) ? consoleBuildDir() : undefined,
  };
}

/** PLINTH_CHROMIUM, or Debian's chromium when installed; `off` turns screenshots off. */
function readChromiumPath(env: NodeJS.ProcessEnv): string | undefined {
  const configured = env.PLINTH_CHROMIUM;
  if (configured === 'off') return undefined;
  if (configured) return configured;
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

/**
 * `console/dist` of the checkout: found by walking up to the package's root, since this module
 * runs from `src/app` in tests and from the `dist` bundle `bin/plinth.js` makes.
 */
function consoleBuildDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'console', 'dist');
}

const CONSOLE_SIGN_UP_MODES: readonly ConsoleSignUpMode[] = ['closed', 'invite', 'open'];

function readConsoleSignUp(env: NodeJS.ProcessEnv): ConsoleSignUpPolicy {
  const mode = (env.PLINTH_CONSOLE_SIGNUP || 'closed') as ConsoleSignUpMode;
  if (!CONSOLE_SIGN_UP_MODES.includes(mode)) throw new Error(`PLINTH_CONSOLE_SIGNUP must be closed, invite or open, got "${mode}"`);
  const emails = (env.PLINTH_CONSOLE_SIGNUP_EMAILS ?? '')
    .split(',')
    .map((email) => email.trim().toLowerCase())
    .filter((email) => email !== '');
  return { mode, emails: new Set(emails) };
}

function readHttpTimeouts(env: NodeJS.ProcessEnv): HttpTimeouts {
  const timeouts = {
    headersSeconds: readInteger(env, 'PLINTH_HEADERS_TIMEOUT', 30),
    requestSeconds: readInteger(env, 'PLINTH_REQUEST_TIMEOUT', 300),
    keepAliveSeconds: Math.max(1, readInteger(env, 'PLINTH_KEEP_ALIVE_TIMEOUT', 72)),
    bodyIdleSeconds: readInteger(env, 'PLINTH_BODY_IDLE_TIMEOUT', 30),
  };
  // Node refuses a head limit past the whole request's.
  if (timeouts.requestSeconds > 0 && timeouts.headersSeconds > timeouts.requestSeconds) {
    throw new Error('PLINTH_HEADERS_TIMEOUT must not exceed PLINTH_REQUEST_TIMEOUT');
  }
  return timeouts;
}

/** An absolute http(s) URL, perhaps with a path prefix; kept without a trailing slash so paths append to it. */
export function parsePublicUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('must be an absolute http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('must be an http:// or https:// URL');
  if (url.search || url.hash || url.username || url.password) throw new Error('must have no query, fragment or credentials');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** This server as its listening address names it (a wildcard address is reached as localhost). */
export function listeningUrl(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

function readFilesUrl(env: NodeJS.ProcessEnv): string | undefined {
  if (!env.PLINTH_FILES) return undefined;
  // Checked now so a typo stops the server at start, not at the first upload.
  readSetting('PLINTH_FILES', () => parseS3Url(env.PLINTH_FILES!));
  return env.PLINTH_FILES;
}

/** Names the variable in a parse error; the parsers never echo values, which may hold secrets. */
function readSetting<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new Error(`${name} ${(error as Error).message}`);
  }
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

function readFunctions(env: NodeJS.ProcessEnv): FunctionsSettings {
  const sandbox = env.PLINTH_FUNCTIONS_SANDBOX || 'auto';
  if (sandbox !== 'auto' && sandbox !== 'bwrap' && sandbox !== 'process') {
    throw new Error(`PLINTH_FUNCTIONS_SANDBOX must be auto, bwrap or process, got "${sandbox}"`);
  }
  const port = readInteger(env, 'PORT', 8080);
  return {
    sandbox,
    maxTimeoutSeconds: Math.max(1, readInteger(env, 'PLINTH_FUNCTIONS_TIMEOUT', 900)),
    maxCodeBytes: Math.max(1, readInteger(env, 'PLINTH_COMPUTE_SIZE_LIMIT', DEFAULT_MAX_CODE_BYTES)),
    idleSeconds: readInteger(env, 'PLINTH_FUNCTIONS_IDLE_SECONDS', 300),
    concurrency: Math.max(1, readInteger(env, 'PLINTH_FUNCTIONS_CONCURRENCY', 16)),
    maxProcesses: Math.max(1, readInteger(env, 'PLINTH_FUNCTIONS_MAX_PROCESSES', 32)),
    network: readFunctionsNetwork(env),
    memoryMb: readInteger(env, 'PLINTH_FUNCTIONS_MEMORY_MB', 512),
    cpus: readPositiveNumber(env, 'PLINTH_FUNCTIONS_CPUS', 1),
    memoryBudgetMb: readInteger(env, 'PLINTH_FUNCTIONS_MEMORY_BUDGET_MB', 0),
    tmpSizeMb: Math.max(1, readInteger(env, 'PLINTH_FUNCTIONS_TMP_MB', 64)),
    apiEndpoint: env.PLINTH_FUNCTIONS_API_ENDPOINT || defaultApiEndpoint(port),
    hostDomain: `functions.${(env.PLINTH_DOMAIN || 'localhost').toLowerCase()}`,
    maxPids: Math.max(16, readInteger(env, 'PLINTH_FUNCTIONS_MAX_PIDS', 256)),
    runtimesDir: env.PLINTH_FUNCTIONS_RUNTIMES_DIR || undefined,
    runtimes: (env.PLINTH_FUNCTIONS_RUNTIMES ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== ''),
  };
}

function readProxy(env: NodeJS.ProcessEnv): ProxySettings {
  const serverDomain = env.PLINTH_DOMAIN ? env.PLINTH_DOMAIN.toLowerCase() : undefined;
  const list = (name: string, valid: (item: string) => boolean, what: string) =>
    (env[name] || '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '')
      .map((item) => {
        if (!valid(item)) throw new Error(`${name} must be a comma-separated list of ${what}, got "${item}"`);
        return item;
      });
  return {
    serverDomain,
    cnameTarget: env.PLINTH_DOMAIN_TARGET_CNAME ? env.PLINTH_DOMAIN_TARGET_CNAME.toLowerCase() : serverDomain,
    aTargets: list('PLINTH_DOMAIN_TARGET_A', (item) => isIPv4(item), 'IPv4 addresses'),
    aaaaTargets: list('PLINTH_DOMAIN_TARGET_AAAA', (item) => isIPv6(item), 'IPv6 addresses'),
    dnsServers: list('PLINTH_DNS', isDnsServer, 'DNS server addresses (ip or ip:port)'),
    deniedDomains: list('PLINTH_DOMAIN_DENY_LIST', (item) => isValidDomain(normalizeDomain(item)), 'domain names').map(normalizeDomain),
  };
}

/** `1.1.1.1`, `1.1.1.1:53`, `::1` or `[::1]:53`, as Node's resolver takes them. */
function isDnsServer(item: string): boolean {
  if (isIP(item) !== 0) return true;
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(item);
  if (!match || Number(match[3]) > 65535) return false;
  return match[1] !== undefined ? isIPv6(match[1]) : isIPv4(match[2]!);
}

/** The API as functions see it unless PLINTH_FUNCTIONS_API_ENDPOINT says otherwise: this host's port. */
export function defaultApiEndpoint(port: number): string {
  return `http://localhost:${port}/v1`;
}

function readFunctionsNetwork(env: NodeJS.ProcessEnv): FunctionsSettings['network'] {
  const raw = env.PLINTH_FUNCTIONS_NETWORK || 'isolated';
  if (raw !== 'isolated' && raw !== 'none' && raw !== 'host') {
    throw new Error(`PLINTH_FUNCTIONS_NETWORK must be isolated, none or host, got "${raw}"`);
  }
  return raw;
}

function readPositiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

function readSwitch(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw !== 'on' && raw !== 'off') throw new Error(`${name} must be on or off, got "${raw}"`);
  return raw === 'on';
}

function readInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return value;
}
