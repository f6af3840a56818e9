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
          if (catcher.busyAnswers > 0) {
            catcher.busyAnswers--;
            callback(Object.assign(new Error('Rate limit exceeded, try again later'), { responseCode: 451 }));
            return;
          }
          catcher.caught.push({ rcptTo: session.envelope.rcptTo.map((rcpt) => rcpt.address), mail });
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
    while (this.caught.length < count) await new Promise<void>((wake) => this.waiters.push(wake));
    return this.caught;
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
  answer: (request: CaughtRequest) => StandInAnswer = () => ({ status: 200, body: {} });
  private server!: Server;
  url = '';

  static async start(): Promise<HttpStandIn> {
    const standIn = new HttpStandIn();
    standIn.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const caught = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        standIn.requests.push(caught);
        const { status, body } = standIn.answer(caught);
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
