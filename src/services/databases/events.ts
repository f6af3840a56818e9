import { nowDateTime } from '../../core/datetime.js';
import { eventNames, type EventLevel } from '../../core/events.js';
import type { ServiceDeps } from '../deps.js';

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
 * Publishes under both naming schemes: `databases.D.collections.C.documents.X.create`,
 * `databases.D.tables.C.rows.X.create` and `tablesdb.D.tables.C.rows.X.create`, each with
 * its wildcards, after the change committed.
 */
export async function publishDatabaseEvent(deps: ServiceDeps, projectId: string, change: DatabaseChange): Promise<void> {
  const schemes: EventLevel[][] = [
    levels('databases', 'collections', change.child?.kind, change),
    levels('databases', 'tables', change.child ? TABLES_WORDS[change.child.kind] : undefined, change),
    levels('tablesdb', 'tables', change.child ? TABLES_WORDS[change.child.kind] : undefined, change),
  ];
  const names = new Set<string>();
  for (const scheme of schemes) for (const name of eventNames(scheme, change.action)) names.add(name);
  await deps.events.publish({
    projectId,
    names: [...names],
    payload: change.payload,
    readableBy: change.readableBy,
    timestamp: nowDateTime(),
  });
}

function levels(root: string, containers: string, children: string | undefined, change: DatabaseChange): EventLevel[] {
  const result: EventLevel[] = [[root, change.databaseId]];
  if (change.collectionId !== undefined) result.push([containers, change.collectionId]);
  if (change.child && children) result.push([children, change.child.id]);
  return result;
}
