export { CONSOLE_PROJECT_ID, createProject, findProjectById, listProjects } from './projects.js';
export { authenticateKey, createKey, parseScopeList, type AuthenticatedKey, type CreateKeyInput } from './keys.js';
export type { KeyModel, ProjectModel } from './models.js';
