/**
 * What a role in an organization (a team of the console project) lets an administrator do in
 * the organization's projects. Owners and developers follow Appwrite's role table; editors
 * change content but not the project's structure or settings; analysts only read; billing
 * members reach nothing beyond the organization and project lists.
 */

/** Granted to every confirmed member, whatever the role: listing organizations and projects. */
export const ORGANIZATION_BASE_SCOPES: readonly string[] = ['teams.read', 'projects.read'];

/** What a signed-in console user reaches in the console project itself. */
const MEMBER_SCOPES: readonly string[] = [
  'global', 'public', 'home', 'console', 'graphql', 'sessions.write', 'account', 'teams.read', 'teams.write',
  'presences.read', 'presences.write', 'documents.read', 'documents.write', 'rows.read', 'rows.write',
  'files.read', 'files.write', 'projects.read', 'locale.read', 'avatars.read', 'executions.read', 'executions.write',
  'targets.read', 'targets.write', 'subscribers.read', 'subscribers.write', 'assistant.read', 'rules.read',
];

/** Administering a project: every resource and setting. */
const PROJECT_ADMIN_SCOPES: readonly string[] = [
  'global', 'graphql', 'sessions.write', 'teams.read', 'teams.write', 'documents.read', 'documents.write',
  'rows.read', 'rows.write', 'files.read', 'files.write', 'buckets.read', 'buckets.write', 'users.read', 'users.write',
  'presences.read', 'presences.write', 'databases.read', 'databases.write', 'collections.read', 'collections.write',
  'tables.read', 'tables.write', 'platforms.read', 'platforms.write', 'oauth2.read', 'oauth2.write', 'mocks.read',
  'mocks.write', 'policies.read', 'policies.write', 'project.policies.read', 'project.policies.write', 'templates.read',
  'templates.write', 'projects.write', 'keys.read', 'keys.write', 'devKeys.read', 'devKeys.write', 'webhooks.read',
  'webhooks.write', 'project.read', 'project.write', 'locale.read', 'avatars.read', 'health.read', 'functions.read',
  'functions.write', 'sites.read', 'sites.write', 'log.read', 'log.write', 'executions.read', 'executions.write',
  'rules.read', 'rules.write', 'migrations.read', 'migrations.write', 'vcs.read', 'vcs.write', 'targets.read',
  'targets.write', 'providers.read', 'providers.write', 'messages.read', 'messages.write', 'topics.read', 'topics.write',
  'subscribers.read', 'subscribers.write', 'tokens.read', 'tokens.write', 'schedules.read', 'schedules.write',
  'insights.read', 'insights.write', 'reports.read', 'reports.write',
];

/** Writes on content an editor may make: rows, files, users and their teams, messages, executions. */
const CONTENT_WRITE_SCOPES: ReadonlySet<string> = new Set([
  'documents.write', 'rows.write', 'files.write', 'users.write', 'teams.write', 'sessions.write', 'tokens.write',
  'targets.write', 'subscribers.write', 'messages.write', 'executions.write', 'presences.write',
]);

/** Scopes that read, plus the ones every caller has (global, graphql, locale, avatars, health). */
function isReadScope(scope: string): boolean {
  return scope.endsWith('.read') || scope === 'global' || scope === 'graphql';
}

const READ_SCOPES = PROJECT_ADMIN_SCOPES.filter(isReadScope);

/** The organization roles and their scopes; `admin` is Appwrite's older name for a developer. */
export const organizationRoles: Readonly<Record<string, readonly string[]>> = {
  owner: [...new Set([...MEMBER_SCOPES, ...PROJECT_ADMIN_SCOPES])],
  developer: PROJECT_ADMIN_SCOPES,
  admin: PROJECT_ADMIN_SCOPES,
  editor: [...READ_SCOPES, ...PROJECT_ADMIN_SCOPES.filter((scope) => CONTENT_WRITE_SCOPES.has(scope))],
  analyst: READ_SCOPES,
  billing: [],
};

/** The role names an organization membership may carry. */
export const ORGANIZATION_ROLE_NAMES: readonly string[] = Object.keys(organizationRoles).filter((role) => role !== 'admin');

/** True when the roles let their holder manage the organization's members (owners only). */
export function managesOrganizationMembers(roles: readonly string[]): boolean {
  return roles.includes('owner');
}
