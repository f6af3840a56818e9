/** The console service's door: its routes. */
export { consoleRoutes } from './routes.js';
