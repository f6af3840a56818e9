export { presencesRoutes } from './routes.js';
export { endConnectionPresences, keepPresencesAlive, sweepExpiredPresences, upsertPresence } from './presences.js';
