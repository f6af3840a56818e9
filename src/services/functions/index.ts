export { functionsRoutes } from './routes.js';
export { BUILDS_QUEUE, type BuildJob } from './deployments.js';
export { buildDeployment } from './builds.js';
export { EXECUTIONS_QUEUE, runQueuedExecution, type ExecutionJob } from './executions.js';
export { startFunctionTriggers } from './triggers.js';
export type { FunctionsSettings } from './settings.js';
export { runScheduleTick, type ScheduleJob } from './schedules.js';
export { closeFunctionsHost } from './runtime-host.js';
export { functionHostRouting } from './host-domain.js';
