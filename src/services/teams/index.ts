export { teamsRoutes } from './routes.js';
export { createTeam } from './teams.js';
export { adoptFirstAdministrator, DEFAULT_ORGANIZATION, ensureDefaultOrganization } from './default-organization.js';
