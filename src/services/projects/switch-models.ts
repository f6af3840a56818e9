/** The switch fields of Appwrite's `project` model, read from the project's settings. */
export interface ProjectSwitchFields {
  authEmailPassword: boolean;
  authUsersAuthMagicURL: boolean;
  authEmailOtp: boolean;
  authAnonymous: boolean;
  authInvites: boolean;
  authJWT: boolean;
  authPhone: boolean;
  serviceStatusForAccount: boolean;
  serviceStatusForAvatars: boolean;
  serviceStatusForDatabases: boolean;
  serviceStatusForTablesdb: boolean;
  serviceStatusForLocale: boolean;
  serviceStatusForHealth: boolean;
  serviceStatusForProject: boolean;
  serviceStatusForStorage: boolean;
  serviceStatusForTeams: boolean;
  serviceStatusForUsers: boolean;
  serviceStatusForVcs: boolean;
  serviceStatusForSites: boolean;
  serviceStatusForFunctions: boolean;
  serviceStatusForProxy: boolean;
  serviceStatusForGraphql: boolean;
  serviceStatusForMigrations: boolean;
  serviceStatusForMessaging: boolean;
  protocolStatusForRest: boolean;
  protocolStatusForGraphql: boolean;
  protocolStatusForWebsocket: boolean;
}

/** Model field → setting name. Switches are on unless stored as `false`. */
const SWITCH_SETTINGS: Record<keyof ProjectSwitchFields, string> = {
  authEmailPassword: 'auth:email-password',
  authUsersAuthMagicURL: 'auth:magic-url',
  authEmailOtp: 'auth:email-otp',
  authAnonymous: 'auth:anonymous',
  authInvites: 'auth:invites',
  authJWT: 'auth:jwt',
  authPhone: 'auth:phone',
  serviceStatusForAccount: 'service:account',
  serviceStatusForAvatars: 'service:avatars',
  serviceStatusForDatabases: 'service:databases',
  serviceStatusForTablesdb: 'service:tablesdb',
  serviceStatusForLocale: 'service:locale',
  serviceStatusForHealth: 'service:health',
  serviceStatusForProject: 'service:project',
  serviceStatusForStorage: 'service:storage',
  serviceStatusForTeams: 'service:teams',
  serviceStatusForUsers: 'service:users',
  serviceStatusForVcs: 'service:vcs',
  serviceStatusForSites: 'service:sites',
  serviceStatusForFunctions: 'service:functions',
  serviceStatusForProxy: 'service:proxy',
  serviceStatusForGraphql: 'service:graphql',
  serviceStatusForMigrations: 'service:migrations',
  serviceStatusForMessaging: 'service:messaging',
  protocolStatusForRest: 'protocol:rest',
  protocolStatusForGraphql: 'protocol:graphql',
  protocolStatusForWebsocket: 'protocol:websocket',
};

/** Every switch field of the project model, from the settings `readProjectSettings` returns. */
export function toSwitchFields(settings: ReadonlyMap<string, unknown>): ProjectSwitchFields {
  const fields = {} as ProjectSwitchFields;
  for (const [field, name] of Object.entries(SWITCH_SETTINGS) as [keyof ProjectSwitchFields, string][]) {
    fields[field] = settings.get(name) !== false;
  }
  return fields;
}

export interface SwitchEntry {
  $id: string;
  enabled: boolean;
}

/**
 * The same switches as node-appwrite 27.1 models them (`services`, `protocols`, `authMethods`:
 * lists of `{ $id, enabled }`), which server.json does not list.
 */
export interface ProjectSwitchLists {
  authMethods: SwitchEntry[];
  services: SwitchEntry[];
  protocols: SwitchEntry[];
}

export function toSwitchLists(
  settings: ReadonlyMap<string, unknown>,
  ids: { services: readonly string[]; protocols: readonly string[]; authMethods: readonly string[] },
): ProjectSwitchLists {
  const entries = (prefix: string, list: readonly string[]): SwitchEntry[] =>
    list.map(($id) => ({ $id, enabled: settings.get(`${prefix}:${$id}`) !== false }));
  return {
    authMethods: entries('auth', ids.authMethods),
    services: entries('service', ids.services),
    protocols: entries('protocol', ids.protocols),
  };
}
