import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on loopback that keeps what it receives, for tests to read. */
export class TestMailbox {
  readonly received: ParsedMail[] = [];
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
      onData(stream, _session, callback) {
        simpleParser(stream)
          .then((mail) => {
            mailbox?.deliver(mail);
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

  private deliver(mail: ParsedMail): void {
    this.received.push(mail);
    for (const wake of this.waiters.splice(0)) wake();
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
