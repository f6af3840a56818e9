/** How the console asks for one setting of a messaging provider. */
export interface ProviderField {
  /** The parameter's name in the create and update routes, and in the provider's credentials or options. */
  key: string;
  label: string;
  kind: 'text' | 'email' | 'number' | 'boolean' | 'secret' | 'json' | 'encryption';
  /** The provider cannot be enabled without it. */
  required?: boolean;
  placeholder?: string;
}

export interface ProviderType {
  /** The last segment of `/messaging/providers/{id}`, and the model's `provider`. */
  id: string;
  label: string;
  channel: 'email' | 'sms' | 'push';
  fields: ProviderField[];
}

const sender: ProviderField[] = [
  { key: 'fromName', label: 'Sender name', kind: 'text' },
  { key: 'fromEmail', label: 'Sender email', kind: 'email', required: true },
  { key: 'replyToName', label: 'Reply-to name', kind: 'text' },
  { key: 'replyToEmail', label: 'Reply-to email', kind: 'email' },
];
const smsFrom: ProviderField = { key: 'from', label: 'Sender number or name', kind: 'text', required: true, placeholder: '+15550100123' };

/** Every provider this server sends through, with what each takes; secrets are never shown back. */
export const PROVIDER_TYPES: ProviderType[] = [
  {
    id: 'smtp',
    label: 'SMTP',
    channel: 'email',
    fields: [
      { key: 'host', label: 'Host', kind: 'text', required: true, placeholder: 'smtp.example.com' },
      { key: 'port', label: 'Port', kind: 'number', placeholder: '587' },
      { key: 'username', label: 'Username', kind: 'text' },
      { key: 'password', label: 'Password', kind: 'secret' },
      { key: 'encryption', label: 'Encryption', kind: 'encryption' },
      { key: 'autoTLS', label: 'Upgrade to TLS when the server offers it', kind: 'boolean' },
      { key: 'mailer', label: 'X-Mailer header (optional)', kind: 'text' },
      ...sender,
    ],
  },
  {
    id: 'mailgun',
    label: 'Mailgun',
    channel: 'email',
    fields: [{ key: 'apiKey', label: 'API key', kind: 'secret', required: true }, { key: 'domain', label: 'Domain', kind: 'text', required: true }, { key: 'isEuRegion', label: 'EU region', kind: 'boolean' }, ...sender],
  },
  { id: 'sendgrid', label: 'SendGrid', channel: 'email', fields: [{ key: 'apiKey', label: 'API key', kind: 'secret', required: true }, ...sender] },
  { id: 'resend', label: 'Resend', channel: 'email', fields: [{ key: 'apiKey', label: 'API key', kind: 'secret', required: true }, ...sender] },
  {
    id: 'ses',
    label: 'Amazon SES',
    channel: 'email',
    fields: [
      { key: 'accessKey', label: 'Access key ID', kind: 'text', required: true },
      { key: 'secretKey', label: 'Secret access key', kind: 'secret', required: true },
      { key: 'region', label: 'Region', kind: 'text', required: true, placeholder: 'eu-west-1' },
      ...sender,
    ],
  },
  { id: 'twilio', label: 'Twilio', channel: 'sms', fields: [{ key: 'accountSid', label: 'Account SID', kind: 'text', required: true }, { key: 'authToken', label: 'Auth token', kind: 'secret', required: true }, smsFrom] },
  { id: 'vonage', label: 'Vonage', channel: 'sms', fields: [{ key: 'apiKey', label: 'API key', kind: 'text', required: true }, { key: 'apiSecret', label: 'API secret', kind: 'secret', required: true }, smsFrom] },
  {
    id: 'msg91',
    label: 'MSG91',
    channel: 'sms',
    fields: [{ key: 'templateId', label: 'Template ID', kind: 'text', required: true }, { key: 'senderId', label: 'Sender ID', kind: 'text', required: true }, { key: 'authKey', label: 'Auth key', kind: 'secret', required: true }],
  },
  { id: 'telesign', label: 'Telesign', channel: 'sms', fields: [{ key: 'customerId', label: 'Customer ID', kind: 'text', required: true }, { key: 'apiKey', label: 'API key', kind: 'secret', required: true }, smsFrom] },
  { id: 'textmagic', label: 'TextMagic', channel: 'sms', fields: [{ key: 'username', label: 'Username', kind: 'text', required: true }, { key: 'apiKey', label: 'API key', kind: 'secret', required: true }, smsFrom] },
  { id: 'fcm', label: 'Firebase Cloud Messaging', channel: 'push', fields: [{ key: 'serviceAccountJSON', label: 'Service account JSON', kind: 'json', required: true }] },
  {
    id: 'apns',
    label: 'Apple Push Notification service',
    channel: 'push',
    fields: [
      { key: 'authKey', label: 'Auth key (.p8 contents)', kind: 'secret', required: true },
      { key: 'authKeyId', label: 'Auth key ID', kind: 'text', required: true },
      { key: 'teamId', label: 'Team ID', kind: 'text', required: true },
      { key: 'bundleId', label: 'Bundle ID', kind: 'text', required: true },
      { key: 'sandbox', label: 'Sandbox (development builds)', kind: 'boolean' },
    ],
  },
  {
    id: 'webpush',
    label: 'Web Push (VAPID)',
    channel: 'push',
    fields: [
      { key: 'subject', label: 'Subject (mailto: or https: URL)', kind: 'text', required: true, placeholder: 'mailto:ops@example.com' },
      { key: 'vapidPublicKey', label: 'VAPID public key (made when empty)', kind: 'text' },
      { key: 'vapidPrivateKey', label: 'VAPID private key (made when empty)', kind: 'secret' },
    ],
  },
];

export function providerType(id: string): ProviderType | undefined {
  return PROVIDER_TYPES.find((type) => type.id === id);
}

export type ProviderValues = Record<string, string | number | boolean | null>;

/** The form's values of a saved provider: its credentials and options, secrets left empty (write-only). */
export function valuesOf(type: ProviderType, saved: { credentials?: object; options?: object } | undefined): ProviderValues {
  const stored = { ...(saved?.credentials ?? {}), ...(saved?.options ?? {}) } as Record<string, unknown>;
  const values: ProviderValues = {};
  for (const field of type.fields) {
    const value = stored[field.key];
    if (field.kind === 'boolean') values[field.key] = value === true;
    else if (field.kind === 'secret' || field.kind === 'json') values[field.key] = '';
    else if (field.kind === 'encryption') values[field.key] = typeof value === 'string' && value !== '' ? value : 'none';
    else values[field.key] = value === undefined || value === null ? '' : String(value);
  }
  return values;
}

/**
 * The body the routes take. An empty field is left out, so a saved secret stays and the server
 * makes what it makes when absent; only an update sends an emptied plain field, to clear it.
 */
export function bodyOf(type: ProviderType, values: ProviderValues, updating: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const keepsEmpty = (field: ProviderField) => updating && (field.kind === 'text' || field.kind === 'email');
  for (const field of type.fields) {
    // A number input's binding gives a number, or null when emptied.
    const value = values[field.key];
    const text = value === null || value === undefined ? '' : String(value).trim();
    if (field.kind === 'boolean') body[field.key] = value === true;
    else if (text === '' && !keepsEmpty(field)) continue;
    else if (field.kind === 'number') body[field.key] = Number(text);
    else if (field.kind === 'json') body[field.key] = JSON.parse(text) as unknown;
    else body[field.key] = text;
  }
  return body;
}
