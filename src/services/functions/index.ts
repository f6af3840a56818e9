export { functionsRoutes } from './routes.js';
export { BUILDS_QUEUE, type BuildJob } from './deployments.js';
export { buildDeployment } from './builds.js';
export { runQueuedExecution, type ExecutionJob } from './executions.js';
export { EXECUTIONS_QUEUE } from './placements.js';
export { startFunctionTriggers, type FunctionTriggers } from './triggers.js';
export type { FunctionsSettings } from './settings.js';
export { runScheduleTick } from './schedule-ticks.js';
export type { ScheduleJob } from './schedules.js';
export { closeFunctionsHost } from './runtime-host.js';
export { functionHostRouting, sendToFunction } from './host-domain.js';
export { getFunction } from './functions.js';
export { functionsAliases } from './aliases.js';
// Pieces sites build and serve with, as functions do.
export { runBuildCommand, MAX_BUILD_LOG } from './build-command.js';
export { MAX_CODE_BYTES, readBoolean, receiveUpload } from './code-upload.js';
export { parseContentRange, type ContentRange } from './chunked-upload.js';
export { joinChunks, storeChunk } from './chunk-objects.js';
export { storeLocalFile } from './deployments.js';
export { ensureUnpacked, moveIntoPlace } from './deployment-code.js';
export { resolveProgram } from './runtime-programs.js';
export { availableRuntimeIds, findRuntime, isAvailable, RUNTIMES } from './runtimes.js';
export { functionsHost } from './runtime-host.js';
export { deploymentModel, type DeploymentModel } from './models.js';
export {
  createResourceVariable,
  deleteResourceVariable,
  getResourceVariable,
  listResourceVariables,
  resourceEnvironment,
  updateResourceVariable,
  type VariableResource,
} from './resource-variables.js';
