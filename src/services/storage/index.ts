/** The storage service's door for other layers. */
export { storageRoutes } from './routes.js';
