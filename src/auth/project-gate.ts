import { findProjectAccess, type KeyAccess } from '../data/platform/project-access.js';
import type { AuthDeps } from './deps.js';
import { NOTHING_DISABLED } from './switches.js';

/** The built-in project whose users are the administrators; requests naming no project are its guests. */
export const CONSOLE_PROJECT_ID = 'console';

/** What the request pipeline needs of a project: that it exists, and which switches are off. */
export interface ProjectGate {
  /** Setting names (`service:<id>`, `protocol:<id>`) stored as off. */
  disabled: ReadonlySet<string>;
  /** The project's key of the secret hash asked for, when one was asked for and exists. */
  key?: KeyAccess;
}

/**
 * Undefined when the project does not exist. With the secret hash of a presented key (see
 * `standardKeyHash`), that key of the project too. No statement when the node's cache holds
 * it, else one.
 */
export async function findProjectGate(deps: AuthDeps, projectId: string, keySecretHash?: string): Promise<ProjectGate | undefined> {
  const access = deps.projectAccess
    ? await deps.projectAccess.find(projectId, keySecretHash)
    : await findProjectAccess(deps.db.platform, projectId, keySecretHash);
  if (access === undefined) return undefined;
  const gate: ProjectGate = { disabled: access.disabledSwitches.length === 0 ? NOTHING_DISABLED : new Set(access.disabledSwitches) };
  if (access.key !== undefined) gate.key = access.key;
  return gate;
}
