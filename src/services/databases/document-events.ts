import type { StoredDocument } from '../../data/documents/document-store.js';
import type { PlinthEvent } from '../../infra/events/event-bus.js';
import { grantsOf } from '../../core/permissions.js';
import type { ApiNames } from './api-names.js';
import { databaseEvent, type DatabaseChange } from './events.js';
import { toDocumentModel, type Model } from './models.js';
import type { CollectionContext } from './schema-context.js';

type Ids = { databaseId: string; collectionId: string };

/** Emits the change inside its transaction (see commitWithEvents) and answers the document's model. */
export function emitDocument(
  emit: (event: PlinthEvent) => void,
  projectId: string,
  api: ApiNames,
  ids: Ids,
  context: CollectionContext,
  row: StoredDocument,
  action: 'create' | 'update' | 'delete',
): Model {
  const change = documentChange(api, ids, context, row, action);
  emit(databaseEvent(projectId, change));
  return change.payload as Model;
}

/** A written document with the collection it belongs to. */
export interface WrittenDocument {
  context: CollectionContext;
  row: StoredDocument;
  action: 'create' | 'update' | 'delete';
}

/** Emits each written document, in order and in its own collection's name; answers their models. */
export function emitWrites(emit: (event: PlinthEvent) => void, projectId: string, api: ApiNames, databaseId: string, written: readonly WrittenDocument[]): Model[] {
  return written.map(({ context, row, action }) => emitDocument(emit, projectId, api, { databaseId, collectionId: context.collection.id }, context, row, action));
}

/** The change in both naming schemes, readable by the document's readers and the collection's. */
export function documentChange(api: ApiNames, ids: Ids, context: CollectionContext, row: StoredDocument, action: 'create' | 'update' | 'delete'): DatabaseChange {
  const model = toDocumentModel(api, ids, context.attributes, row);
  const readers = new Set<string>();
  for (const grant of grantsOf(JSON.parse(context.collection.permissions) as string[])) if (grant.type === 'read') readers.add(grant.role);
  if (context.collection.document_security === 1) {
    for (const grant of grantsOf(JSON.parse(row._permissions) as string[])) if (grant.type === 'read') readers.add(grant.role);
  }
  return { ...ids, child: { kind: 'documents', id: row._uid }, action, payload: model, readableBy: [...readers] };
}
