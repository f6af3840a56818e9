export { realtimeRoutes } from './routes.js';
export type { RealtimeSettings } from './settings.js';
