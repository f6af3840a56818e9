import type { ProjectAccessCache } from '../auth/project-access-cache.js';
import type { Database } from '../data/database.js';
import type { ClamavAddress } from '../infra/antivirus/clamav.js';
import type { EventBus } from '../infra/events/event-bus.js';
import type { FileStore } from '../infra/files/file-store.js';
import type { MailAddress } from '../infra/mail/mail-address.js';
import type { SmtpSettings, SmtpTransportFactory } from '../infra/mail/smtp-transport.js';
import type { JobQueue } from '../core/job-queue.js';
import type { SmsProvider } from '../infra/sms/sms-provider.js';
import type { FunctionsSettings } from './functions/settings.js';
import type { ProxySettings } from './proxy/settings.js';
import type { SitesSettings } from './sites/settings.js';
import type { RealtimeSettings } from './realtime/settings.js';
import type { GraphqlSettings } from './graphql/settings.js';
import type { ConsoleSignUpPolicy } from '../core/console-sign-up.js';
import type { MessagingSettings } from './messaging/settings.js';
import type { WebhookSettings } from './webhooks/settings.js';
import type { AvatarSettings } from './avatars/settings.js';

/** What services receive from the composition root; never module-level singletons. */
export interface ServiceDeps {
  db: Database;
  /** What requests read of their project, cached on this node; read from the store when absent. */
  projectAccess?: ProjectAccessCache;
  events: EventBus;
  queue: JobQueue;
  /** Opens a connection to an SMTP server, for projects that bring their own. */
  smtp: SmtpTransportFactory;
  /** Mail of projects without an SMTP server of their own: this server's, or files when unset. */
  mail: { smtp: SmtpSettings | undefined; from: MailAddress };
  /** Delivers text messages: a Twilio-compatible API, or files when none is configured. */
  sms: SmsProvider;
  /** Where uploaded file bytes live: local disk or an S3-compatible bucket. */
  files: FileStore;
  /** The ClamAV daemon that scans uploads to buckets with antivirus on; unset: no scanning. */
  antivirus: ClamavAddress | undefined;
  /** Where local files live (uploads, builds, caches). */
  dataDir: string;
  /** 32 bytes: encrypts secrets at rest (core/crypto) and signs short-lived tokens. */
  secretKey: Buffer;
  /**
   * Where browsers and OAuth2 providers reach this server (no trailing slash): configured, or the
   * listening address. Never taken from a request's Host header, which the client writes.
   */
  publicUrl: string;
  /** The version of the API this server speaks. */
  apiVersion: string;
  startedAt: Date;
  /** How functions run; defaults when absent. */
  functions?: FunctionsSettings;
  /** Where sites answer; defaults when absent. */
  sites?: SitesSettings;
  /** Who may sign up to the console project (become an administrator); closed when absent. */
  consoleSignUp?: ConsoleSignUpPolicy;
  /** Where custom domains must point and which DNS servers are asked; the defaults when absent. */
  proxy?: ProxySettings;
  /** Messaging provider endpoints and retry pacing; the defaults when absent. */
  messaging?: MessagingSettings;
  /** Remote fetch limits and the Chromium of screenshots; the defaults when absent. */
  avatars?: AvatarSettings;
  /** Realtime limits; the defaults when absent. */
  realtime?: RealtimeSettings;
  /** GraphQL batch, depth and complexity limits, introspection; Appwrite's defaults when absent. */
  graphql?: GraphqlSettings;
  /** Webhook delivery: private addresses, failures before disabling; the defaults when absent. */
  webhooks?: WebhookSettings;
  /** The durable side of events (see event-outbox.ts); absent: events go to the bus only. */
  outbox?: EventOutbox;
}

/** The project outboxes' keeper: events that must not be lost wait there until handed on. */
export interface EventOutbox {
  /** Makes sure recovery after a crash will read this project's outbox; before its first entry. */
  prepare(projectId: string): Promise<void>;
}
