import type { Caller } from './caller.js';
import { AppError } from './errors.js';

/** One (type, role) pair of the permission table, e.g. { type: 'read', role: 'user:U1' }. */
export interface Grant {
  type: string;
  role: string;
}

export type PermissionType = 'read' | 'create' | 'update' | 'delete';

const PERMISSION = /^(read|create|update|delete|write)\("([^"]+)"\)$/;
const ROLE =
  /^(any|guests|users(\/(verified|unverified))?|user:[a-zA-Z0-9][a-zA-Z0-9._-]{0,35}(\/(verified|unverified))?|team:[a-zA-Z0-9][a-zA-Z0-9._-]{0,35}(\/[a-zA-Z0-9][a-zA-Z0-9._-]{0,80})?|member:[a-zA-Z0-9][a-zA-Z0-9._-]{0,35}|label:[a-zA-Z0-9]{1,36})$/;

/** Documents take read/update/delete (and write); collections also take create. */
export const DOCUMENT_PERMISSION_TYPES: readonly string[] = ['read', 'update', 'delete', 'write'];
export const COLLECTION_PERMISSION_TYPES: readonly string[] = ['read', 'create', 'update', 'delete', 'write'];

/**
 * Checks permission strings and expands `write` into create/update/delete (update/delete
 * for documents), as Appwrite stores them; duplicates are dropped, order kept.
 */
export function normalisePermissions(permissions: readonly string[], allowedTypes: readonly string[]): string[] {
  const result: string[] = [];
  for (const permission of permissions) {
    const match = PERMISSION.exec(permission);
    if (!match || !allowedTypes.includes(match[1]!)) {
      throw new AppError('general_argument_invalid', `Invalid \`permissions\` param: Permission "${permission}" is not allowed. Must be one of: ${allowedTypes.join(', ')}.`);
    }
    const role = match[2]!;
    if (!ROLE.test(role)) throw new AppError('general_argument_invalid', `Invalid \`permissions\` param: Role "${role}" is not valid.`);
    const types = match[1] === 'write' ? allowedTypes.filter((t) => t === 'create' || t === 'update' || t === 'delete') : [match[1]!];
    for (const type of types) {
      const text = `${type}("${role}")`;
      if (!result.includes(text)) result.push(text);
    }
  }
  return result;
}

/** The (type, role) rows of stored permission strings. */
export function grantsOf(permissions: readonly string[]): Grant[] {
  return permissions.map((permission) => {
    const match = PERMISSION.exec(permission)!;
    return { type: match[1]!, role: match[2]! };
  });
}

/** Whether the permission list grants the type to one of the roles. */
export function grants(permissions: readonly string[], type: PermissionType, roles: readonly string[]): boolean {
  return grantsOf(permissions).some((grant) => grant.type === type && roles.includes(grant.role));
}

/** A client may only hand out roles it holds itself; whoever acts for the project may grant anything. */
export function assertGrantable(caller: Caller, permissions: readonly string[]): void {
  if (caller.actsForProject) return;
  for (const { role } of grantsOf(permissions)) {
    if (!caller.roles.includes(role)) {
      throw new AppError('user_unauthorized', `Permissions must be one of: (${caller.roles.map((r) => `"${r}"`).join(', ')})`);
    }
  }
}

/** What a document gets when the request names no permissions: its creator's, or none for keys and guests. */
export function defaultDocumentPermissions(caller: Caller): string[] {
  if (caller.actsForProject || !caller.userId) return [];
  const role = `user:${caller.userId}`;
  return [`read("${role}")`, `update("${role}")`, `delete("${role}")`];
}
