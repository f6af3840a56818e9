/** The storage service's door for other layers. */
export { storageRoutes } from './routes.js';
export { readStoredFile } from './reading.js';
export { pushImageUrl } from './push-image.js';
