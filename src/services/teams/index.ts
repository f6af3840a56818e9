export { teamsRoutes } from './routes.js';
export { createTeam } from './teams.js';
