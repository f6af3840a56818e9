export { presencesRoutes } from './routes.js';
