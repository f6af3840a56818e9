import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A mail as the SMTP server received it: the envelope's recipients and the parsed message. */
export interface CaughtMail {
  rcptTo: string[];
  mail: ParsedMail;
}

/**
 * A real SMTP server on loopback that keeps each mail with its envelope, and can refuse
 * some recipients or answer the next messages with a passing error.
 */
export class SmtpCatcher {
  readonly caught: CaughtMail[] = [];
  readonly refuse = new Set<string>();
  busyAnswers = 0;
  /** Once this many mails were taken, later ones are read but never answered, as a stalled server does. */
  holdAfter: number | undefined;
  /** The envelopes of the mails held unanswered. */
  readonly held: string[][] = [];
  private waiters: (() => void)[] = [];
  private server!: SMTPServer;
  port = 0;

  static async start(): Promise<SmtpCatcher> {
    const catcher = new SmtpCatcher();
    catcher.server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth: (auth, _session, callback) =>
        auth.username === 'mailer' && auth.password === 'mail-secret' ? callback(null, { user: 'mailer' }) : callback(new Error('Invalid login')),
      onRcptTo: (address, _session, callback) =>
        catcher.refuse.has(address.address) ? callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 })) : callback(),
      onData: (stream, session, callback) => {
        simpleParser(stream).then((mail) => {
          const rcptTo = session.envelope.rcptTo.map((rcpt) => rcpt.address);
          if (catcher.holdAfter !== undefined && catcher.caught.length >= catcher.holdAfter) {
            catcher.held.push(rcptTo);
            for (const wake of catcher.waiters.splice(0)) wake();
            return;
          }
          if (catcher.busyAnswers > 0) {
            catcher.busyAnswers--;
            callback(Object.assign(new Error('Rate limit exceeded, try again later'), { responseCode: 451 }));
            return;
          }
          catcher.caught.push({ rcptTo, mail });
          for (const wake of catcher.waiters.splice(0)) wake();
          callback();
        }, callback);
      },
    });
    await new Promise<void>((done) => catcher.server.listen(0, '127.0.0.1', done));
    const address = catcher.server.server.address();
    catcher.port = typeof address === 'object' && address ? address.port : 0;
    return catcher;
  }

  async waitFor(count: number): Promise<CaughtMail[]> {
    await this.until(() => this.caught.length >= count);
    return this.caught;
  }

  /** Resolves once `check` holds, looked at whenever a mail was taken or held. */
  async until(check: () => boolean): Promise<void> {
    while (!check()) await new Promise<void>((wake) => this.waiters.push(wake));
  }

  stop(): Promise<void> {
    return new Promise((done) => this.server.close(() => done()));
  }
}

export interface CaughtRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type StandInAnswer = { status: number; body?: unknown };

/** A provider's API stand-in on loopback: records each request and answers as told. */
export class HttpStandIn {
  readonly requests: CaughtRequest[] = [];
  /** May take its time: a provider that answers slowly. */
  answer: (request: CaughtRequest) => StandInAnswer | Promise<StandInAnswer> = () => ({ status: 200, body: {} });
  private server!: Server;
  url = '';

  static async start(): Promise<HttpStandIn> {
    const standIn = new HttpStandIn();
    standIn.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        const caught = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        standIn.requests.push(caught);
        const { status, body } = await standIn.answer(caught);
        res.writeHead(status, { 'content-type': 'application/json' }).end(body === undefined ? '' : JSON.stringify(body));
      });
    });
    await new Promise<void>((done) => standIn.server.listen(0, '127.0.0.1', done));
    const address = standIn.server.address();
    standIn.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    return standIn;
  }

  take(): CaughtRequest[] {
    return this.requests.splice(0);
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((done) => this.server.close(() => done()));
  }
}
