/** The storage service's door for other layers. */
export { storageRoutes } from './routes.js';
export { readStoredFile } from './reading.js';
export { publicImageUrl } from './public-image.js';
