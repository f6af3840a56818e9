import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The little of oidc-provider's API used here; the package ships no types. */
interface Grant {
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  save(): Promise<string>;
}
interface InteractionDetails {
  prompt: { name: string; details: Record<string, unknown> };
  params: Record<string, unknown>;
  session?: { accountId: string };
  grantId?: string;
}
interface Provider {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
  interactionFinished(req: IncomingMessage, res: ServerResponse, result: unknown, options: { mergeWithLastSubmission: boolean }): Promise<void>;
  Grant: { new (init: { accountId: string; clientId: string }): Grant; find(id: string): Promise<Grant | undefined> };
}
type ProviderClass = new (issuer: string, configuration: Record<string, unknown>) => Provider;

/** Loaded by name so the untyped package does not need declarations. */
async function loadProviderClass(): Promise<ProviderClass> {
  const name = 'oidc-provider';
  return ((await import(name)) as { default: ProviderClass }).default;
}

/** The person signed in at the test identity provider. */
export interface TestAccount {
  sub: string;
  email: string;
  emailVerified: boolean;
  name: string;
}

/**
 * A real OpenID Connect provider (`oidc-provider`) on loopback. Its login and consent
 * steps finish at once for `account`, so a sign-in is a chain of redirects a test can
 * follow with fetch; `denyNext()` makes the next one end with `access_denied`.
 */
export class TestOidcProvider {
  account: TestAccount = { sub: 'oidc-user-1', email: 'ada@example.com', emailVerified: true, name: 'Ada Lovelace' };
  private denying = false;

  private constructor(
    private readonly server: Server,
    private readonly provider: Provider,
    readonly issuer: string,
  ) {}

  static async start(client: { clientId: string; clientSecret: string; redirectUris: string[] }): Promise<TestOidcProvider> {
    let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
    const server = createServer((req, res) => handle(req, res));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    let self: TestOidcProvider | undefined;
    const Provider = await loadProviderClass();
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: client.clientId,
          client_secret: client.clientSecret,
          redirect_uris: client.redirectUris,
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      findAccount: async (_ctx: unknown, id: string) => ({
        accountId: id,
        claims: async () => {
          const account = self!.account;
          return { sub: id, email: account.email, email_verified: account.emailVerified, name: account.name };
        },
      }),
      features: { devInteractions: { enabled: false } },
      interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
      cookies: { keys: ['plinth-test-cookie-key'] },
      pkce: { required: () => true },
    });
    self = new TestOidcProvider(server, provider, issuer);
    const callback = provider.callback();
    handle = (req, res) => {
      if (req.url?.startsWith('/interaction/')) {
        self!.interact(req, res).catch((error: unknown) => {
          res.statusCode = 500;
          res.end(String(error));
        });
      } else {
        callback(req, res);
      }
    };
    return self;
  }

  get wellKnownUrl(): string {
    return `${this.issuer}/.well-known/openid-configuration`;
  }

  /** The next sign-in is refused by the "user". */
  denyNext(): void {
    this.denying = true;
  }

  /** Logs `account` in and grants whatever the client asked for. */
  private async interact(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await this.provider.interactionDetails(req, res);
    if (this.denying) {
      this.denying = false;
      await this.provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The user refused.' }, { mergeWithLastSubmission: false });
      return;
    }
    if (details.prompt.name === 'login') {
      await this.provider.interactionFinished(req, res, { login: { accountId: this.account.sub } }, { mergeWithLastSubmission: false });
      return;
    }
    const grant = details.grantId
      ? (await this.provider.Grant.find(details.grantId))!
      : new this.provider.Grant({ accountId: details.session!.accountId, clientId: String(details.params.client_id) });
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant.save();
    await this.provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }
}

/** Cookies per origin, as a browser keeps them (paths and expiry ignored: flows are short). */
export class CookieJar {
  private readonly byOrigin = new Map<string, Map<string, string>>();

  store(url: string, response: Response): void {
    const origin = new URL(url).origin;
    const jar = this.byOrigin.get(origin) ?? new Map<string, string>();
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    this.byOrigin.set(origin, jar);
  }

  header(url: string): string {
    const jar = this.byOrigin.get(new URL(url).origin);
    return jar ? [...jar].map(([name, value]) => `${name}=${value}`).join('; ') : '';
  }
}

export interface RedirectChain {
  /** The URL the chain ended on, which was not fetched (the app's success or failure page). */
  finalUrl: string;
  /** Every response on the way, in order, with the URL it answered. */
  hops: { url: string; response: Response }[];
}

/**
 * Follows redirects like a browser, carrying cookies, until the next location starts with
 * one of `stopAt` (the app's pages, which are not fetched) or a response is no redirect.
 */
export async function followRedirects(start: string, stopAt: string[], jar = new CookieJar()): Promise<RedirectChain> {
  const hops: RedirectChain['hops'] = [];
  let url = start;
  for (let i = 0; i < 20; i++) {
    if (stopAt.some((prefix) => url.startsWith(prefix))) return { finalUrl: url, hops };
    const cookie = jar.header(url);
    const response = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    jar.store(url, response);
    hops.push({ url, response });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) return { finalUrl: url, hops };
    url = new URL(location, url).toString();
  }
  throw new Error(`too many redirects from ${start}`);
}
