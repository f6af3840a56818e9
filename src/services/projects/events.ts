import { CONSOLE_PROJECT_ID } from '../../auth/project-gate.js';
import { nowDateTime } from '../../core/datetime.js';
import { eventNames } from '../../core/events.js';
import type { ServiceDeps } from '../deps.js';
import { publishOutsideTransaction } from '../event-outbox.js';
import type { ProjectModel } from './models.js';

/**
 * Publishes `projects.ID.<action>[.<attribute>]` in the console project, where projects are
 * administered, readable by the organization that owns the project. Every node hears it: a
 * project moved to another organization changes who administers it there too.
 */
export async function publishProjectEvent(deps: ServiceDeps, project: ProjectModel, change: { action: string; attribute?: string }): Promise<void> {
  // Projects live in the platform store and the outbox in the console project's: no one transaction holds both.
  await publishOutsideTransaction(deps, {
    projectId: CONSOLE_PROJECT_ID,
    names: eventNames([['projects', project.$id]], change.action, change.attribute),
    payload: project,
    readableBy: project.teamId ? [`team:${project.teamId}`] : [],
    timestamp: nowDateTime(),
  });
}
