import { AppError } from '../../core/errors.js';
import { findDocument } from '../../data/documents/document-store.js';
import type { ServiceDeps } from '../deps.js';
import { requireCollection } from './schema-context.js';
import type { ApiNames } from './api-names.js';
import { createDocument, updateDocument } from './documents.js';
import type { Model } from './models.js';
import type { Caller } from '../../core/caller.js';

type ItemIds = { databaseId: string; collectionId: string; documentId: string };

/**
 * Creates the document when its id is free, else updates it; each path keeps its own
 * rules (create permission on the collection, or update permission on the document).
 * Updates are partial: attributes the data leaves out keep their values.
 */
export async function upsertDocument(
  deps: ServiceDeps,
  projectId: string,
  api: ApiNames,
  caller: Caller,
  ids: ItemIds,
  input: { data: Record<string, unknown>; permissions?: string[] | null; unchangedSince?: Date | undefined },
): Promise<{ model: Model; created: boolean }> {
  const update = async () => ({ model: await updateDocument(deps, projectId, api, caller, ids, input), created: false });
  if (await exists(deps, projectId, api, caller, ids)) return update();
  try {
    const model = await createDocument(deps, projectId, api, caller, ids, { documentId: ids.documentId, data: input.data, permissions: input.permissions ?? null });
    return { model, created: true };
  } catch (error) {
    // Another writer created it in between: then this becomes an update. A unique-index clash stays an error.
    if (error instanceof AppError && error.type.endsWith('_already_exists') && (await exists(deps, projectId, api, caller, ids))) return update();
    throw error;
  }
}

async function exists(deps: ServiceDeps, projectId: string, api: ApiNames, caller: Caller, ids: ItemIds): Promise<boolean> {
  const context = await requireCollection(deps, projectId, api, ids, caller.actsForProject);
  return (await findDocument(deps.db.project(projectId), context.collection.seq, ids.documentId)) !== undefined;
}
