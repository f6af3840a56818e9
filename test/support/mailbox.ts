import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on loopback that keeps what it receives, for tests to read. */
export class TestMailbox {
  readonly received: ParsedMail[] = [];
  /** Each mail's envelope recipients (RCPT TO), which Bcc copies are only named in. */
  private readonly envelopes = new WeakMap<ParsedMail, string[]>();
  private waiters: (() => void)[] = [];

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(credentials = { username: 'mailer', password: 'mail-secret' }): Promise<TestMailbox> {
    let mailbox: TestMailbox | undefined;
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth(auth, _session, callback) {
        if (auth.username === credentials.username && auth.password === credentials.password) callback(null, { user: auth.username });
        else callback(new Error('Invalid username or password'));
      },
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((mail) => {
            mailbox?.deliver(mail, session.envelope.rcptTo.map((recipient) => recipient.address));
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const address = server.server.address();
    mailbox = new TestMailbox(server, typeof address === 'object' && address ? address.port : 0);
    return mailbox;
  }

  private deliver(mail: ParsedMail, recipients: string[]): void {
    this.envelopes.set(mail, recipients);
    this.received.push(mail);
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** The addresses the mail was delivered to, however its headers name them. */
  recipientsOf(mail: ParsedMail): string[] {
    return this.envelopes.get(mail) ?? [];
  }

  /** Resolves once `count` messages have arrived. */
  async waitFor(count: number): Promise<ParsedMail[]> {
    while (this.received.length < count) await new Promise<void>((wake) => this.waiters.push(wake));
    return this.received;
  }

  async stop(): Promise<void> {
    await new Promise<void>((done) => this.server.close(() => done()));
  }
}
