import { isGeometryType } from '../../core/geometry.js';
import { isBoundAsIs } from '../../data/documents/document-insert.js';
import { insertDocumentInOneStatement, updateDocumentInOneStatement } from '../../data/documents/document-one-statement.js';
import { changedColumns, newDocumentColumns, type DocumentChange, type NewDocument, type StoredDocument } from '../../data/documents/document-store.js';
import { SchemaVersionMoved } from '../../data/documents/schema-version.js';
import { uniqueOrExists } from '../../data/duplicates.js';
import { PENDING_SEQUENCE } from '../../data/outbox/event-outbox.js';
import type { PlinthEvent } from '../../infra/events/event-bus.js';
import type { ServiceDeps } from '../deps.js';
import { writeWithEvents } from '../event-outbox.js';
import { apiError, type ApiNames } from './api-names.js';
import { emitDocument } from './document-events.js';
import { invalidateLists } from './list-cache.js';
import type { Model } from './models.js';
import type { CollectionContext } from './schema-context.js';

// On an engine where every statement is a round trip, a plain create or update of one document
// is one statement with its permission rows and its outbox entry. Its events are built before
// it runs, from the row it is about to store.

type Ids = { databaseId: string; collectionId: string };

/**
 * Whether a write of these values can go as one statement: the engine allows it, and the row
 * it stores is the row planned here (every value bound as it is; no geo column, which the
 * database answers in a form of its own).
 */
export function fitsOneStatement(deps: ServiceDeps, context: CollectionContext, values: Readonly<Record<string, unknown>>): boolean {
  return deps.db.dialect.writesInWith && Object.values(values).every(isBoundAsIs) && !context.attributes.some((attribute) => isGeometryType(attribute.type));
}

/**
 * Creates the document with its grants and its events. With `version` (metadata cached for
 * it), nothing is written unless that is still the schema's version: SchemaVersionMoved.
 */
export async function createInOneStatement(
  deps: ServiceDeps,
  projectId: string,
  api: ApiNames,
  ids: Ids,
  context: CollectionContext,
  doc: NewDocument,
  version: number | undefined,
): Promise<Model> {
  const events: PlinthEvent[] = [];
  const planned = { ...newDocumentColumns(doc), _seq: 0 } as StoredDocument;
  // The events' payload is this model. The database numbers the row as it inserts it: the
  // sealed events hold a placeholder, their outbox entries the number (see PENDING_SEQUENCE).
  const model = emitDocument((event) => events.push(event), projectId, api, ids, context, planned, 'create');
  model.$sequence = PENDING_SEQUENCE;
  const row = await uniqueOrExists(() =>
    writeWithEvents(
      deps,
      projectId,
      events,
      (sealed) => insertDocumentInOneStatement(deps.db.project(projectId), context.collection.seq, doc, sealed, version),
      (inserted) => {
        model.$sequence = String(inserted._seq);
      },
    ),
  );
  if (row === 'exists') throw apiError(api, 'document_already_exists', { params: [doc.id] });
  if (row === undefined) throw new SchemaVersionMoved();
  invalidateLists(deps, projectId, context.collection.seq);
  return model;
}

/**
 * Applies the change to the document as `current` read it, with its events; undefined when
 * the document changed or went since that read (the caller then updates it under a lock).
 */
export async function updateInOneStatement(
  deps: ServiceDeps,
  projectId: string,
  api: ApiNames,
  ids: Ids,
  context: CollectionContext,
  current: StoredDocument,
  change: DocumentChange,
): Promise<Model | undefined> {
  const events: PlinthEvent[] = [];
  const planned = { ...current, ...changedColumns(change) } as StoredDocument;
  const model = emitDocument((event) => events.push(event), projectId, api, ids, context, planned, 'update');
  const row = await uniqueOrExists(() =>
    writeWithEvents(deps, projectId, events, (sealed) => updateDocumentInOneStatement(deps.db.project(projectId), context.collection.seq, current, change, sealed)),
  );
  if (row === 'exists') throw apiError(api, 'document_already_exists', { params: [current._uid] });
  if (row === undefined) return undefined;
  invalidateLists(deps, projectId, context.collection.seq);
  return model;
}
