/** The channel a provider delivers to, and the target type it reaches. */
export type Channel = 'email' | 'sms' | 'push';

export type FieldKind = 'string' | 'boolean' | 'integer' | 'json' | 'encryption' | 'email' | 'subject';

/** What each provider takes, where it keeps it, and what it needs before it may be enabled. */
export interface ProviderSpec {
  channel: Channel;
  /** Parameter name -> its kind; stored under the same name. */
  credentials: Readonly<Record<string, FieldKind>>;
  options: Readonly<Record<string, FieldKind>>;
  /** Every one must be set (not empty, not null) for the provider to be enabled. */
  required: readonly string[];
  /** Credentials never shown back: the answer carries a mask instead. */
  secrets: readonly string[];
}

const sender = { fromName: 'string', fromEmail: 'email', replyToName: 'string', replyToEmail: 'email' } as const;

export const PROVIDER_SPECS = {
  smtp: {
    channel: 'email',
    credentials: { host: 'string', port: 'integer', username: 'string', password: 'string' },
    options: { ...sender, encryption: 'encryption', autoTLS: 'boolean', mailer: 'string' },
    required: ['host', 'fromEmail'],
    secrets: ['password'],
  },
  mailgun: {
    channel: 'email',
    credentials: { apiKey: 'string', domain: 'string', isEuRegion: 'boolean' },
    options: sender,
    required: ['apiKey', 'domain', 'isEuRegion', 'fromEmail'],
    secrets: ['apiKey'],
  },
  sendgrid: { channel: 'email', credentials: { apiKey: 'string' }, options: sender, required: ['apiKey', 'fromEmail'], secrets: ['apiKey'] },
  resend: { channel: 'email', credentials: { apiKey: 'string' }, options: sender, required: ['apiKey', 'fromEmail'], secrets: ['apiKey'] },
  ses: {
    channel: 'email',
    credentials: { accessKey: 'string', secretKey: 'string', region: 'string' },
    options: sender,
    required: ['accessKey', 'secretKey', 'region', 'fromEmail'],
    secrets: ['secretKey'],
  },
  twilio: {
    channel: 'sms',
    credentials: { accountSid: 'string', authToken: 'string' },
    options: { from: 'string' },
    required: ['accountSid', 'authToken', 'from'],
    secrets: ['authToken'],
  },
  vonage: {
    channel: 'sms',
    credentials: { apiKey: 'string', apiSecret: 'string' },
    options: { from: 'string' },
    required: ['apiKey', 'apiSecret', 'from'],
    secrets: ['apiSecret'],
  },
  msg91: {
    channel: 'sms',
    credentials: { templateId: 'string', senderId: 'string', authKey: 'string' },
    options: {},
    required: ['templateId', 'senderId', 'authKey'],
    secrets: ['authKey'],
  },
  telesign: {
    channel: 'sms',
    credentials: { customerId: 'string', apiKey: 'string' },
    options: { from: 'string' },
    required: ['customerId', 'apiKey', 'from'],
    secrets: ['apiKey'],
  },
  textmagic: {
    channel: 'sms',
    credentials: { username: 'string', apiKey: 'string' },
    options: { from: 'string' },
    required: ['username', 'apiKey', 'from'],
    secrets: ['apiKey'],
  },
  fcm: { channel: 'push', credentials: { serviceAccountJSON: 'json' }, options: {}, required: ['serviceAccountJSON'], secrets: ['serviceAccountJSON'] },
  apns: {
    channel: 'push',
    credentials: { authKey: 'string', authKeyId: 'string', teamId: 'string', bundleId: 'string' },
    options: { sandbox: 'boolean' },
    required: ['authKey', 'authKeyId', 'teamId', 'bundleId'],
    secrets: ['authKey'],
  },
  // Beyond Appwrite: standard Web Push with VAPID; the public key is shown so apps can subscribe.
  webpush: {
    channel: 'push',
    credentials: { vapidPrivateKey: 'string' },
    options: { subject: 'subject', vapidPublicKey: 'string' },
    required: ['subject', 'vapidPublicKey', 'vapidPrivateKey'],
    secrets: ['vapidPrivateKey'],
  },
} as const satisfies Record<string, ProviderSpec>;

export type ProviderName = keyof typeof PROVIDER_SPECS;
export const PROVIDER_NAMES = Object.keys(PROVIDER_SPECS) as ProviderName[];

export function specOf(provider: string): ProviderSpec | undefined {
  return (PROVIDER_SPECS as Record<string, ProviderSpec>)[provider];
}

/** Whether every value the provider needs is present. */
export function isComplete(spec: ProviderSpec, values: Readonly<Record<string, unknown>>): boolean {
  return spec.required.every((key) => values[key] !== undefined && values[key] !== null && values[key] !== '');
}
