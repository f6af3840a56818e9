/** Actions an event name may end with; each channel also has a copy suffixed with one. */
const ACTIONS: ReadonlySet<string> = new Set(['create', 'update', 'upsert', 'delete']);

/** The resource levels and action of one concrete event name, e.g. `teams.T.memberships.M.update.status`. */
export interface ParsedName {
  levels: [type: string, id: string][];
  action: string;
}

/** The levels and action of a name with concrete ids; undefined for wildcard and parent names. */
export function parseConcreteName(name: string): ParsedName | undefined {
  if (name.includes('*')) return undefined;
  const parts = name.split('.');
  // `<type>.<id>` pairs, then the action, then at most one attribute (`users.U.update.prefs`).
  let actionAt = parts.length - 1;
  if (parts.length % 2 === 0) actionAt = parts.length - 2;
  const action = parts[actionAt];
  if (actionAt < 2 || action === undefined || !ACTIONS.has(action)) return undefined;
  const levels: [string, string][] = [];
  for (let i = 0; i < actionAt; i += 2) levels.push([parts[i]!, parts[i + 1]!]);
  return { levels, action };
}

/** The channels of one resource, without action suffixes. */
function resourceChannels(levels: [string, string][]): string[] {
  const path = levels.map(([type, id]) => `${type}.${id}`).join('.');
  const shape = levels.map(([type]) => type).join('.');
  const [first, second, third] = levels;
  switch (shape) {
    case 'users':
    case 'users.sessions':
    case 'users.tokens':
    case 'users.targets':
    case 'users.verification':
    case 'users.recovery':
    case 'users.challenges':
    case 'users.authenticators':
    case 'users.identities':
      return ['account', `account.${first![1]}`];
    case 'databases.collections.documents':
      return ['documents', path.slice(0, path.length - third![1].length - 1), path];
    case 'databases.tables.rows':
    case 'tablesdb.tables.rows':
      return ['rows', path.slice(0, path.length - third![1].length - 1), path];
    case 'buckets.files':
      return ['files', `buckets.${first![1]}.files`, path];
    case 'teams':
      return ['teams', path];
    case 'teams.memberships':
      return ['memberships', `memberships.${second![1]}`];
    case 'presences':
      return ['presences', path];
    case 'functions.executions':
      return ['executions', `executions.${second![1]}`, `functions.${first![1]}`];
    default:
      return [];
  }
}

/**
 * The realtime channels an event reaches, from the names its publisher gave it: each
 * resource channel plus its copy suffixed with the action (`documents`, `documents.create`).
 * Events of resources without channels (collections, attributes, buckets) reach none.
 */
export function channelsOfEvent(names: readonly string[]): string[] {
  const channels = new Set<string>();
  for (const name of names) {
    const parsed = parseConcreteName(name);
    if (!parsed) continue;
    for (const channel of resourceChannels(parsed.levels)) {
      channels.add(channel);
      channels.add(`${channel}.${parsed.action}`);
    }
  }
  return [...channels];
}

/**
 * What a connection's requested channel listens to: `account` and `account.<action>`
 * are bound to the signed-in user (nothing for a guest), and another user's
 * `account.<id>` is dropped, so no one listens to someone else's account.
 */
export function bindChannel(channel: string, userId: string | undefined): string[] {
  if (channel === 'account') return userId ? ['account', `account.${userId}`] : ['account'];
  if (channel.startsWith('account.')) {
    const rest = channel.slice('account.'.length);
    if (!userId) return [];
    if (ACTIONS.has(rest)) return [`account.${userId}.${rest}`];
    if (rest === userId || (rest.startsWith(`${userId}.`) && ACTIONS.has(rest.slice(userId.length + 1)))) return [channel];
    return [];
  }
  return [channel];
}
