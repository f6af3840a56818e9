/** The schedules service's door: the console's project schedules, and the runs of them. */
export { scheduleRoutes } from './routes.js';
export { runSchedule, SCHEDULES_QUEUE, type ScheduleRunJob } from './runs.js';
export type { ScheduleModel } from './models.js';
