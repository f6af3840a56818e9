export { teamsRoutes } from './routes.js';
