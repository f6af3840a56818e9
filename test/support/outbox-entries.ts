import type { PlinthEvent } from '../../src/infra/events/event-bus.js';
import { openOutboxEvent } from '../../src/services/event-outbox.js';
import type { InProcess } from './in-process.js';

/** An event's fullest name among those `keep` accepts: ids everywhere, the action at the end. */
export function fullestName(event: PlinthEvent, keep: (name: string) => boolean = () => true): string {
  return event.names.filter((name) => keep(name) && !name.includes('*')).sort((a, b) => b.length - a.length)[0]!;
}

/** Empties the project's outbox and the events the test saw, so each test starts from none. */
export async function clearOutbox(app: InProcess, projectId: string): Promise<void> {
  await app.services.deps.db.project(projectId).deleteFrom('event_outbox').execute();
  app.events.length = 0;
}

/** The name of each entry waiting in the outbox (no worker hands them on in these tests), oldest first. */
export async function outboxNames(app: InProcess, projectId: string, nameOf: (event: PlinthEvent) => string = fullestName): Promise<string[]> {
  const { deps } = app.services;
  const rows = await deps.db.project(projectId).selectFrom('event_outbox').select('event').orderBy('seq').execute();
  return rows.map((row) => nameOf(openOutboxEvent(deps, row.event)));
}
