export { presencesRoutes } from './routes.js';
export { endConnectionPresences, upsertPresence } from './presences.js';
