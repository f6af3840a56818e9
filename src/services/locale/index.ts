export { localeRoutes } from './routes.js';
