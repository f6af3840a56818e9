import { findDocument } from '../../data/documents/document-store.js';
import { findDocumentWithSchemaVersion } from '../../data/documents/document-lookup.js';
import type { StoredDocument } from '../../data/documents/stored-document.js';
import type { ServiceDeps } from '../deps.js';
import type { ApiNames } from './api-names.js';
import { collectionAsLastSeen, requireCollection, type CollectionContext } from './schema-context.js';

/**
 * The collection and one of its documents. In the common case one statement: the document
 * and the project's schema version together, checked against the metadata this node last
 * cached; when the version moved (or that statement failed on metadata that no longer
 * holds), the version is read first and the document after, as for any other request.
 */
export async function readCollectionDocument(
  deps: ServiceDeps,
  projectId: string,
  api: ApiNames,
  ids: { databaseId: string; collectionId: string; documentId: string },
  actsForProject: boolean,
): Promise<{ context: CollectionContext; row: StoredDocument | undefined }> {
  const db = deps.db.project(projectId);
  const seen = await collectionAsLastSeen(deps, projectId, ids, actsForProject);
  if (seen) {
    const found = await findDocumentWithSchemaVersion(db, seen.context.collection.seq, ids.documentId).catch(() => undefined);
    if (found !== undefined && found.schemaVersion === seen.version) return { context: seen.context, row: found.row };
  }
  const context = await requireCollection(deps, projectId, api, ids, actsForProject);
  return { context, row: await findDocument(db, context.collection.seq, ids.documentId) };
}
