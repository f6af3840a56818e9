export {
  CONSOLE_PROJECT_ID,
  createProject,
  deleteProject,
  getProject,
  listProjects,
  updateProjectLabels,
} from './projects.js';
export { acceptStandardKey, authenticateKey, standardKeyHash, createEphemeralKey, createKey, parseScopeList, type AuthenticatedKey, type CreateKeyInput } from './keys.js';
export type { KeyModel, ProjectModel, ProjectSummary } from './models.js';
export type { KeyAccess } from '../../data/platform/project-access.js';
export {
  authMethodSetting,
  findProjectGate,
  NOTHING_DISABLED,
  SERVICE_IDS,
  serviceSetting,
  type AuthMethodId,
  type ServiceId,
} from './settings.js';
export { createPlatform, listPlatforms } from './platforms.js';
export { assertAllowedRedirect } from './redirects.js';
export { storedSmtp } from './smtp.js';
export { sendSessionAlert } from './policies-alerts.js';
export { renderTemplatedMail, type TemplateSender } from './templates-mail.js';
export { isPlatformType, PLATFORM_TARGET_FIELDS, PLATFORM_TYPES, type PlatformModel } from './platform-models.js';
