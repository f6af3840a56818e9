import type { Transaction } from 'kysely';
import { currentActor } from '../core/actor.js';
import { decryptValue, encryptValue } from '../core/crypto.js';
import { nameRootsOf, namesOfRoots, type NameRoot } from '../core/event-name-roots.js';
import { parseExactJson, stringifyExactJson } from '../core/exact-json.js';
import { readSchemaVersion, SchemaVersionMoved } from '../data/documents/schema-version.js';
import { appendOutbox, appendOutboxReadingSchemaVersion, PENDING_SEQUENCE, splitOutboxEntry } from '../data/outbox/event-outbox.js';
import type { ProjectTables } from '../data/tables.js';
import type { PlinthEvent } from '../infra/events/event-bus.js';
import type { ServiceDeps } from './deps.js';

// Every service publishes through here, never through the bus alone: the outbox first (for the
// consumers that must not lose an event: function triggers, webhooks), then the bus (realtime, caches).
// A change emits its events inside its transaction (commitWithEvents), so the outbox entries
// commit or roll back with it and nothing is published before the commit.

/** An event as sealed: its names by their roots when they have some (most of a row's bytes otherwise). */
type SealedEvent = Omit<PlinthEvent, 'names'> & { names?: string[]; nameRoots?: NameRoot[] };

/**
 * An outbox row holds the event's payload, a document with its encrypted attributes in clear
 * included: it is kept encrypted with the server key, as the change it tells of is.
 */
function sealEvent(deps: ServiceDeps, event: PlinthEvent): string {
  const nameRoots = nameRootsOf(event.names);
  const { names, ...rest } = event;
  const sealed: SealedEvent = nameRoots ? { ...rest, nameRoots } : event;
  return encryptValue(deps.secretKey, stringifyExactJson(sealed));
}

/** Reads back an outbox row written by `commitWithEvents`, `writeWithEvents` or `publishOutsideTransaction`. */
export function openOutboxEvent(deps: ServiceDeps, entry: string): PlinthEvent {
  const { sealed, sequence } = splitOutboxEntry(entry);
  const { nameRoots, ...opened } = parseExactJson(decryptValue(deps.secretKey, sealed)) as SealedEvent;
  // Rows sealed before names were kept by their roots hold the names themselves.
  const event: PlinthEvent = { ...opened, names: opened.names ?? namesOfRoots(nameRoots ?? []) };
  const payload = event.payload as Record<string, unknown> | null;
  if (sequence !== undefined && payload?.$sequence === PENDING_SEQUENCE) payload.$sequence = sequence;
  return event;
}

/** Stamps the request's actor now: the outbox keeps the event beyond the request. */
function stamped(event: PlinthEvent): PlinthEvent {
  if (event.actor) return event;
  const actor = currentActor();
  return actor ? { ...event, actor } : event;
}

/**
 * Publishes an event of a change that committed on its own: the outbox entry is written
 * after it, in a write of its own, so a crash in between loses the event for function
 * triggers and webhooks. Every change of a project's store emits through commitWithEvents
 * instead. This is for what cannot share the outbox's transaction: changes of the platform
 * store (projects, proxy rules, schedules), a separate database file on SQLite.
 */
export async function publishOutsideTransaction(deps: ServiceDeps, event: PlinthEvent): Promise<void> {
  const published = stamped(event);
  if (deps.outbox) {
    await deps.outbox.prepare(published.projectId);
    await appendOutbox(deps.db.project(published.projectId), [sealEvent(deps, published)]);
  }
  await deps.events.publish(published);
}

/** Collects an event of the change in progress; it is written and published with the change's commit. */
export type Emit = (event: PlinthEvent) => void;

/**
 * Runs a change in one transaction of the project's store together with the outbox entries
 * of the events it emits, then publishes them once committed. A change that throws rolls
 * back and publishes nothing. With `schemaVersion`, the change was made on metadata cached
 * for that version, and rolls back with SchemaVersionMoved unless it is still the current one.
 * `committed` runs between the commit and the publishing: what must be true before anyone
 * hears of the change (a cache forgotten) but may only happen once it committed.
 */
export async function commitWithEvents<T>(
  deps: ServiceDeps,
  projectId: string,
  change: (trx: Transaction<ProjectTables>, emit: Emit) => Promise<T>,
  options: { schemaVersion?: number; committed?: (result: T) => void } = {},
): Promise<T> {
  if (deps.outbox) await deps.outbox.prepare(projectId);
  const events: PlinthEvent[] = [];
  const result = await deps.db
    .project(projectId)
    .transaction()
    .execute(async (trx) => {
      const value = await change(trx, (event) => events.push(stamped(event)));
      const sealed = deps.outbox ? events.map((event) => sealEvent(deps, event)) : [];
      if (options.schemaVersion === undefined) await appendOutbox(trx, sealed);
      else {
        // The change was made on cached metadata: the outbox insert reads the version too.
        const current = sealed.length > 0 ? await appendOutboxReadingSchemaVersion(trx, sealed) : await readSchemaVersion(trx);
        if (current !== options.schemaVersion) throw new SchemaVersionMoved();
      }
      return value;
    });
  options.committed?.(result);
  for (const event of events) await deps.events.publish(event);
  return result;
}

/**
 * Writes a change and the outbox entries of its events in one statement of the caller's
 * (`write` gets the events sealed), then publishes them; `written` runs first, to complete
 * what only the write knew (see PENDING_SEQUENCE). A write that answers undefined wrote
 * nothing, and publishes nothing.
 */
export async function writeWithEvents<T>(
  deps: ServiceDeps,
  projectId: string,
  events: readonly PlinthEvent[],
  write: (sealed: string[]) => Promise<T | undefined>,
  written: (result: T) => void = () => {},
): Promise<T | undefined> {
  if (deps.outbox) await deps.outbox.prepare(projectId);
  const ready = events.map(stamped);
  const result = await write(deps.outbox ? ready.map((event) => sealEvent(deps, event)) : []);
  if (result === undefined) return undefined;
  written(result);
  for (const event of ready) await deps.events.publish(event);
  return result;
}
