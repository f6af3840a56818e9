/**
 * Appwrite's event names as a tree: a resource has actions (an update may name what changed,
 * `update.email`) and resources under it. An event is `<resource>.<id>[.<child>.<id>…][.<action>]`,
 * each id `*` or a concrete one.
 */
export interface EventResource {
  actions: string[];
  children?: Record<string, EventResource>;
}

const CRUD = ['create', 'update', 'delete'];
const crud = (children?: Record<string, EventResource>): EventResource => ({ actions: CRUD, children });

export const EVENT_CATALOGUE: Record<string, EventResource> = {
  users: {
    actions: [...CRUD, 'update.email', 'update.name', 'update.password', 'update.status', 'update.prefs'],
    children: {
      sessions: { actions: ['create', 'delete'] },
      recovery: { actions: ['create', 'update'] },
      verification: { actions: ['create', 'update'] },
      targets: crud(),
      tokens: { actions: ['create'] },
    },
  },
  databases: crud({
    tables: crud({ rows: { actions: ['create', 'update', 'upsert', 'delete'] }, columns: crud(), indexes: crud() }),
    collections: crud({ documents: { actions: ['create', 'update', 'upsert', 'delete'] }, attributes: crud(), indexes: crud() }),
  }),
  buckets: crud({ files: crud() }),
  teams: { actions: [...CRUD, 'update.prefs'], children: { memberships: { actions: [...CRUD, 'update.status'] } } },
  functions: crud({ deployments: crud(), executions: crud() }),
  sites: crud({ deployments: crud() }),
  messages: { actions: ['create', 'update'] },
  topics: crud({ subscribers: { actions: ['create', 'delete'] } }),
  providers: crud(),
  rules: crud(),
  schedules: { actions: ['create'] },
};

/** One step of a picked event: a resource and its id (`*` for any). */
export interface EventStep {
  resource: string;
  id: string;
}

/** The catalogue entry a path of steps reaches, if the path is in the catalogue. */
export function resourceAt(steps: EventStep[]): EventResource | undefined {
  let level: Record<string, EventResource> | undefined = EVENT_CATALOGUE;
  let found: EventResource | undefined;
  for (const step of steps) {
    found = level?.[step.resource];
    if (!found) return undefined;
    level = found.children;
  }
  return found;
}

/** The event string of steps and an action (empty: every action). */
export function eventName(steps: EventStep[], action: string): string {
  const path = steps.map((step) => `${step.resource}.${step.id.trim() || '*'}`).join('.');
  return action ? `${path}.${action}` : path;
}

/** A list kept one item a line, with `line` added unless it is there already. */
export function withLine(text: string, line: string): string {
  const lines = text.split('\n').map((item) => item.trim()).filter(Boolean);
  return lines.includes(line) ? lines.join('\n') : [...lines, line].join('\n');
}
