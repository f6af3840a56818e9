import { AppError } from '../../core/errors.js';
import { findProject } from '../../data/platform/projects.js';
import { findProjectAccess, type KeyAccess } from '../../data/platform/project-access.js';
import { writeProjectSetting } from '../../data/platform/settings.js';
import type { ServiceDeps } from '../deps.js';

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

/** Setting names shared with the rest of the project service; each is a boolean, on when absent. */
export const serviceSetting = (id: ServiceId): string => `service:${id}`;
export const protocolSetting = (id: ProtocolId): string => `protocol:${id}`;
export const authMethodSetting = (id: AuthMethodId): string => `auth:${id}`;

/** What the request pipeline needs of a project: that it exists, and which switches are off. */
export interface ProjectGate {
  /** Setting names (`service:<id>`, `protocol:<id>`) stored as off. */
  disabled: ReadonlySet<string>;
  /** The project's key of the secret hash asked for, when one was asked for and exists. */
  key?: KeyAccess;
}

/** The switches of a project with everything on, shared rather than made per request. */
export const NOTHING_DISABLED: ReadonlySet<string> = new Set();

/**
 * One statement per request: undefined when the project does not exist. With the secret hash of
 * a presented key (see `standardKeyHash`), the same statement reads that key of the project.
 */
export async function findProjectGate(deps: ServiceDeps, projectId: string, keySecretHash?: string): Promise<ProjectGate | undefined> {
  const access = await findProjectAccess(deps.db.platform, projectId, keySecretHash);
  if (access === undefined) return undefined;
  const gate: ProjectGate = { disabled: access.disabledSwitches.length === 0 ? NOTHING_DISABLED : new Set(access.disabledSwitches) };
  if (access.key !== undefined) gate.key = access.key;
  return gate;
}

export async function updateServiceStatus(deps: ServiceDeps, projectId: string, id: ServiceId, enabled: boolean): Promise<void> {
  await writeSwitch(deps, projectId, serviceSetting(id), enabled);
}

export async function updateProtocolStatus(deps: ServiceDeps, projectId: string, id: ProtocolId, enabled: boolean): Promise<void> {
  await writeSwitch(deps, projectId, protocolSetting(id), enabled);
}

export async function updateAuthMethodStatus(deps: ServiceDeps, projectId: string, id: AuthMethodId, enabled: boolean): Promise<void> {
  await writeSwitch(deps, projectId, authMethodSetting(id), enabled);
}

async function writeSwitch(deps: ServiceDeps, projectId: string, name: string, enabled: boolean): Promise<void> {
  if (!(await findProject(deps.db.platform, projectId))) throw new AppError('project_not_found');
  await writeProjectSetting(deps.db.platform, projectId, name, enabled);
}
