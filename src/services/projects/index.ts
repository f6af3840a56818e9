export { projectRoutes } from './routes.js';
export {
  createProject,
  deleteProject,
  getProject,
  listProjects,
  updateProjectLabels,
} from './projects.js';
export { createEphemeralKey, createKey, parseScopeList, type CreateKeyInput } from './keys.js';
export type { KeyModel, ProjectModel, ProjectSummary } from './models.js';
export { createPlatform, listPlatforms } from './platforms.js';
export { assertAllowedRedirect } from './redirects.js';
export { isPlatformType, PLATFORM_TARGET_FIELDS, PLATFORM_TYPES, type PlatformModel } from './platform-models.js';
export { toVariableModel, type VariableModel } from './platform-models.js';
export {
  isOAuth2ProviderId,
  listOAuth2Providers,
  OAUTH2_PROVIDER_IDS,
  readOAuth2Credentials,
  updateOAuth2Provider,
  type OAuth2Extra,
  type OAuth2ProviderChanges,
  type OAuth2ProviderId,
} from './oauth2-providers.js';
export { ENABLED_POLICY_IDS, getPolicy, listPolicies, POLICY_IDS, TOTAL_POLICY_IDS, updatePolicy, type PolicyId, type PolicyModel, type PolicyUpdate } from './policies.js';
export { listOAuth2ProviderParameters, type OAuth2ProviderParameter } from './oauth2-fields.js';
export { projectAliases } from './aliases.js';
