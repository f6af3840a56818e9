// The receiving ends of bench:messaging, in the bench's own process: a real SMTP server that counts
// the envelope recipients it accepts, and web-push-testing, which checks each VAPID JWT and decrypts
// each payload as a browser's push service would.
import { once } from 'node:events';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { pickFreePort } from './processes.js';

const require = createRequire(import.meta.url);

/** Counts what arrived since `reset`, and when the last of it did. */
export class ArrivalCounter {
  count = 0;
  lastAt = 0;
  private waiters: { target: number; resolve: () => void }[] = [];

  add(n: number): void {
    this.count += n;
    this.lastAt = performance.now();
    this.waiters = this.waiters.filter((waiter) => (this.count >= waiter.target ? (waiter.resolve(), false) : true));
  }

  reset(): void {
    this.count = 0;
    this.lastAt = 0;
  }

  reached(target: number): Promise<void> {
    if (this.count >= target) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ target, resolve }));
  }
}

export interface SmtpSink {
  port: number;
  recipients: ArrivalCounter;
  close(): Promise<void>;
}

/** Accepts every mail without reading it into memory; a mail's recipients count once its data is in. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const recipients = new ArrivalCounter();
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    size: 0,
    onData(stream, session, callback) {
      stream.on('end', () => {
        recipients.add(session.envelope.rcptTo.length);
        callback();
      });
      stream.resume();
    },
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.server.address() as AddressInfo).port;
  return { port, recipients, close: () => new Promise((done) => server.close(() => done())) };
}

export interface PushSubscriptionJson {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface PushSink {
  notifications: ArrivalCounter;
  /** A browser's subscription to the push service, for the given VAPID public key. */
  subscribe(applicationServerKey: string): Promise<PushSubscriptionJson>;
  close(): Promise<void>;
}

export async function startPushSink(): Promise<PushSink> {
  const Testing = require('web-push-testing/src/server.js');
  const { PushApiModel } = require('web-push-testing/src/PushApiModel.js');
  const model = new PushApiModel();
  const port = await pickFreePort();
  const service = new Testing(model, port);
  const notifications = new ArrivalCounter();
  // Counted as the service answers 201: the payload was decrypted and kept.
  service._app.use((request: { path: string }, response: { statusCode: number; on(event: string, listener: () => void): void }, next: () => void) => {
    if (request.path.startsWith('/notify/')) response.on('finish', () => response.statusCode === 201 && notifications.add(1));
    next();
  });
  service.setRequestHandlers();
  const server: Server = service._app.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return {
    notifications,
    async subscribe(applicationServerKey) {
      const { endpoint, keys } = await model.subscribe({ userVisibleOnly: 'true', applicationServerKey });
      return { endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } };
    },
    close: () => new Promise((done) => server.close(() => done())),
  };
}
