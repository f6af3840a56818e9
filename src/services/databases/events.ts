import { nowDateTime } from '../../core/datetime.js';
import { eventNames, type EventLevel } from '../../core/events.js';
import type { PlinthEvent } from '../../infra/events/event-bus.js';

/** A change to publish: where it happened, what, and who may read it. */
export interface DatabaseChange {
  databaseId: string;
  collectionId?: string;
  /** The document, attribute or index and its kind in legacy words. */
  child?: { kind: 'documents' | 'attributes' | 'indexes'; id: string };
  action: 'create' | 'update' | 'delete';
  payload: unknown;
  readableBy: string[];
}

const TABLES_WORDS = { documents: 'rows', attributes: 'columns', indexes: 'indexes' } as const;

/**
 * The event of a change, to emit inside its transaction (see commitWithEvents), named in
 * both schemes: `databases.D.collections.C.documents.X.create`, `databases.D.tables.C.rows.X.create`
 * and `tablesdb.D.tables.C.rows.X.create`, each with its wildcards.
 */
export function databaseEvent(projectId: string, change: DatabaseChange): PlinthEvent {
  return { projectId, names: namesOf(change), payload: change.payload, readableBy: change.readableBy, timestamp: nowDateTime() };
}

/** Stands in for the child's id in the cached name templates; ids never contain it. */
const CHILD_ID = '\u0000';
/**
 * Name templates by database, collection, child kind and action: a write builds some 66 names
 * and only the child's id differs between writes to one collection. Each template is the name
 * split where the child's id goes.
 */
const templates = new Map<string, readonly (readonly string[])[]>();
const MAX_TEMPLATES = 1000;

function namesOf(change: DatabaseChange): string[] {
  const cacheKey = `${change.databaseId}\u0000${change.collectionId ?? ''}\u0000${change.child?.kind ?? ''}\u0000${change.action}`;
  let template = templates.get(cacheKey);
  if (template === undefined) {
    if (templates.size >= MAX_TEMPLATES) templates.clear();
    template = buildNames(change, CHILD_ID).map((name) => name.split(CHILD_ID));
    templates.set(cacheKey, template);
  }
  const childId = change.child?.id ?? '';
  // Names differ in where the id or a wildcard stands, and an id is never `*`: no duplicates arise.
  return template.map((parts) => (parts.length === 1 ? parts[0]! : parts.join(childId)));
}

function buildNames(change: DatabaseChange, childId: string): string[] {
  const schemes: EventLevel[][] = [
    levels('databases', 'collections', change.child?.kind, change, childId),
    levels('databases', 'tables', change.child ? TABLES_WORDS[change.child.kind] : undefined, change, childId),
    levels('tablesdb', 'tables', change.child ? TABLES_WORDS[change.child.kind] : undefined, change, childId),
  ];
  const names = new Set<string>();
  for (const scheme of schemes) for (const name of eventNames(scheme, change.action)) names.add(name);
  return [...names];
}

function levels(root: string, containers: string, children: string | undefined, change: DatabaseChange, childId: string): EventLevel[] {
  const result: EventLevel[] = [[root, change.databaseId]];
  if (change.collectionId !== undefined) result.push([containers, change.collectionId]);
  if (change.child && children) result.push([children, childId]);
  return result;
}
