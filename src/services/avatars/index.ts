export { avatarsRoutes } from './routes.js';
export { DEFAULT_AVATAR_SETTINGS, type AvatarSettings } from './settings.js';
