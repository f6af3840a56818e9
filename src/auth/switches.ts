/** The switches a project turns services, protocols and login methods off with; every request checks them. */

/** The services a project may turn off, as Appwrite lists them (its `optional` services). */
export const SERVICE_IDS = [
  'account',
  'avatars',
  'databases',
  'tablesdb',
  'locale',
  'health',
  'project',
  'storage',
  'teams',
  'users',
  'vcs',
  'sites',
  'functions',
  'proxy',
  'graphql',
  'migrations',
  'messaging',
] as const;
export type ServiceId = (typeof SERVICE_IDS)[number];

export const PROTOCOL_IDS = ['rest', 'graphql', 'websocket'] as const;
export type ProtocolId = (typeof PROTOCOL_IDS)[number];

export const AUTH_METHOD_IDS = ['email-password', 'magic-url', 'email-otp', 'anonymous', 'invites', 'jwt', 'phone'] as const;
export type AuthMethodId = (typeof AUTH_METHOD_IDS)[number];

/** Setting names, shared by the request pipeline and the project service; each is a boolean, on when absent. */
export const serviceSetting = (id: ServiceId): string => `service:${id}`;
export const protocolSetting = (id: ProtocolId): string => `protocol:${id}`;
export const authMethodSetting = (id: AuthMethodId): string => `auth:${id}`;

/** The switches of a project with everything on, shared rather than made per request. */
export const NOTHING_DISABLED: ReadonlySet<string> = new Set();
