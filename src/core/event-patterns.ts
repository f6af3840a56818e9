/**
 * The events a project's webhooks and functions may name, as Appwrite 1.9.6 lists them: each
 * resource has actions (an update may name what changed: `users.*.update.email`) and resources
 * under it. A pattern is `<resource>.<id>[.<child>.<id>[.<grandchild>.<id>]][.<action>[.<what>]]`,
 * each id concrete or `*`.
 */
interface EventResource {
  /** Each action with the changes it may name. */
  actions: Readonly<Record<string, readonly string[]>>;
  children?: Readonly<Record<string, EventResource>>;
}

const CRUD = { create: [], update: [], delete: [] };
const crud = (children?: Record<string, EventResource>): EventResource => ({ actions: CRUD, ...(children ? { children } : {}) });

const EVENT_RESOURCES: Readonly<Record<string, EventResource>> = {
  users: {
    actions: { ...CRUD, update: ['email', 'name', 'password', 'status', 'prefs'] },
    children: {
      sessions: { actions: { create: [], delete: [] } },
      recovery: { actions: { create: [], update: [] } },
      verification: { actions: { create: [], update: [] } },
      targets: crud(),
      tokens: { actions: { create: [] } },
    },
  },
  databases: crud({
    tables: crud({ rows: { actions: { ...CRUD, upsert: [] } }, columns: crud(), indexes: crud() }),
    collections: crud({ documents: { actions: { ...CRUD, upsert: [] } }, attributes: crud(), indexes: crud() }),
  }),
  buckets: crud({ files: crud() }),
  teams: { actions: { ...CRUD, update: ['prefs'] }, children: { memberships: { actions: { ...CRUD, update: ['status'] } } } },
  functions: crud({ deployments: crud(), executions: crud() }),
  sites: crud({ deployments: crud() }),
  messages: { actions: { create: [], update: [] } },
  topics: crud({ subscribers: { actions: { create: [], delete: [] } } }),
  providers: crud(),
  rules: crud(),
  schedules: { actions: { create: [] } },
  reports: crud({ insights: crud() }),
};

/** Appwrite's words for a refused list of events (its array validator around its event validator). */
export const INVALID_EVENTS_MESSAGE = 'Value must a valid array no longer than 100 items and Event is not valid.';

/**
 * Whether an event pattern names a resource, action and change Appwrite knows, e.g.
 * `databases.*.collections.*.documents.*.create` or `users.*.update.email`. A resource name in
 * an action's place counts as Appwrite counts it (`users.*.sessions`, every session event).
 */
export function isValidEventPattern(pattern: string): boolean {
  const parts = pattern.split('.');
  if (parts.length < 2 || parts.length > 7) return false;
  const top = EVENT_RESOURCES[parts[0]!];
  if (!top || parts[1] === '') return false;
  let resource: EventResource = top;
  let at = 2;
  // A child resource counts as one only when an id follows it, and at most two levels down.
  for (let depth = 1; depth <= 2 && at + 1 < parts.length; depth++) {
    const child: EventResource | undefined = resource.children?.[parts[at]!];
    if (!child || parts[at + 1] === '') break;
    resource = child;
    at += 2;
  }
  const [action, change, ...rest] = parts.slice(at);
  if (action === undefined) return true;
  if (rest.length > 0) return false;
  const changes = resource.actions[action];
  if (changes === undefined) return change === undefined && resource.children?.[action] !== undefined;
  return change === undefined || changes.includes(change);
}
