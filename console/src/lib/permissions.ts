/** Permission strings (`read("any")`) as a table of roles by action, and back. */
export const ACTIONS = ['read', 'create', 'update', 'delete'] as const;
export type Action = (typeof ACTIONS)[number];

export interface RoleGrant {
  role: string;
  actions: Action[];
}

const PATTERN = /^(read|create|update|delete|write)\("(.+)"\)$/;

export function parsePermissions(permissions: readonly string[]): RoleGrant[] {
  const grants: RoleGrant[] = [];
  for (const permission of permissions) {
    const found = PATTERN.exec(permission);
    if (!found) continue;
    // `write` is the old shorthand for create, update and delete.
    const actions = found[1] === 'write' ? (['create', 'update', 'delete'] as Action[]) : [found[1] as Action];
    let grant = grants.find((item) => item.role === found[2]);
    if (!grant) grants.push((grant = { role: found[2]!, actions: [] }));
    for (const action of actions) if (!grant.actions.includes(action)) grant.actions.push(action);
  }
  return grants;
}

export function formatPermissions(grants: readonly RoleGrant[]): string[] {
  return grants.flatMap((grant) => ACTIONS.filter((action) => grant.actions.includes(action)).map((action) => `${action}("${grant.role}")`));
}

/** Roles offered by the picker; the IDs after `user:`, `team:` and `label:` are typed in. */
export const SUGGESTED_ROLES = ['any', 'users', 'users/verified', 'users/unverified', 'guests', 'user:', 'team:', 'label:'];
