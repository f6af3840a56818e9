import { nowDateTime } from '../../core/datetime.js';
import {
  addAttributeColumn,
  createColumnIndex,
  createFulltextIndex,
  dropFulltextIndex,
  dropAttributeColumn,
  dropColumnIndex,
  hasColumn,
} from '../../data/documents/document-ddl.js';
import { addGeometryColumn, createSpatialIndex, dropSpatialIndex } from '../../data/documents/geometry-ddl.js';
import { isGeometryType } from '../../core/geometry.js';
import { attributeColumnName, SYSTEM_COLUMNS } from '../../data/documents/naming.js';
import {
  deleteAttributeRow,
  deleteIndexRow,
  findAttributeBySeq,
  findIndexBySeq,
  listAttributesOf,
  listIndexesOf,
  updateAttribute,
  updateIndex,
  type StoredAttribute,
  type StoredIndex,
} from '../../data/documents/schema-store.js';
import { isRelationship } from '../../data/documents/relationship-store.js';
import type { ServiceDeps } from '../deps.js';
import { createRelationshipStorage, removeRelationshipStorage } from './relationship-jobs.js';
import { columnKind, isLongText, TEXT_INDEX_PREFIX } from './attribute-values.js';
import { fulltextIndexFor } from './fulltext-indexes.js';
import { spatialIndexFor } from './spatial-indexes.js';
import { metadata } from './schema-context.js';

/** The queue schema changes run on, one at a time per process. */
export const DATABASES_QUEUE = 'databases';

export interface SchemaJob {
  projectId: string;
  action: 'createAttribute' | 'deleteAttribute' | 'createIndex' | 'deleteIndex';
  /** The attribute's or index's sequence. */
  seq: number;
}

export async function enqueueSchemaJob(deps: ServiceDeps, projectId: string, job: Omit<SchemaJob, 'projectId'>): Promise<void> {
  await deps.queue.enqueue(DATABASES_QUEUE, { projectId, ...job }, { projectId });
}

/**
 * Runs one schema change: the DDL, then the status flip. A DDL failure is recorded on the
 * attribute or index as `failed` with its error rather than retried, as Appwrite does.
 * Each step is safe to repeat, so a job retried after a crash finishes the work.
 */
export async function runSchemaJob(deps: ServiceDeps, job: SchemaJob): Promise<void> {
  switch (job.action) {
    case 'createAttribute':
      return createAttributeColumn(deps, job);
    case 'deleteAttribute':
      return removeAttributeColumn(deps, job);
    case 'createIndex':
      return buildIndex(deps, job);
    case 'deleteIndex':
      return removeIndex(deps, job);
  }
}

async function createAttributeColumn(deps: ServiceDeps, job: SchemaJob): Promise<void> {
  const store = metadata(deps, job.projectId);
  const db = deps.db.project(job.projectId);
  const attribute = await findAttributeBySeq(store, job.seq);
  if (!attribute || attribute.status !== 'processing') return;
  if (isRelationship(attribute)) return createRelationshipStorage(deps, job.projectId, attribute);
  try {
    if (!(await hasColumn(db, attribute.collection_seq, attribute.seq))) {
      if (isGeometryType(attribute.type)) await addGeometryColumn(db, deps.db.dialect, attribute.collection_seq, attribute.seq, attribute.type);
      else await addAttributeColumn(db, attribute.collection_seq, attribute.seq, columnKind(attribute), attribute.array === 1);
    }
    await updateAttribute(store, attribute.seq, { status: 'available', updated_at: nowDateTime() });
  } catch (error) {
    await updateAttribute(store, attribute.seq, { status: 'failed', error: errorText(error), updated_at: nowDateTime() });
  }
}

async function removeAttributeColumn(deps: ServiceDeps, job: SchemaJob): Promise<void> {
  const store = metadata(deps, job.projectId);
  const db = deps.db.project(job.projectId);
  const attribute = await findAttributeBySeq(store, job.seq);
  if (!attribute) return;
  if (isRelationship(attribute)) return removeRelationshipStorage(deps, job.projectId, attribute);
  // SQLite refuses to drop an indexed column: the indexes over it go first, as in Appwrite.
  const attributes = await listAttributesOf(store, attribute.collection_seq);
  for (const index of await listIndexesOf(store, attribute.collection_seq)) {
    if ((JSON.parse(index.attributes) as string[]).includes(attribute.key)) {
      await dropAnyIndex(deps, job.projectId, index, attributes);
      await deleteIndexRow(store, index.seq);
    }
  }
  if (await hasColumn(db, attribute.collection_seq, attribute.seq)) await dropAttributeColumn(db, attribute.collection_seq, attribute.seq);
  await deleteAttributeRow(store, attribute.seq);
}

async function buildIndex(deps: ServiceDeps, job: SchemaJob): Promise<void> {
  const store = metadata(deps, job.projectId);
  const index = await findIndexBySeq(store, job.seq);
  if (!index || index.status !== 'processing') return;
  try {
    const attributes = await listAttributesOf(store, index.collection_seq);
    if (index.type === 'fulltext') {
      // A retried job may find what an earlier attempt built: start over.
      await dropFulltextIndex(deps.db.project(job.projectId), deps.db.dialect, fulltextIndexFor(index, attributes));
      await createFulltextIndex(deps.db.project(job.projectId), deps.db.dialect, fulltextIndexFor(index, attributes));
    } else if (index.type === 'spatial') {
      await dropSpatialIndex(deps.db.project(job.projectId), deps.db.dialect, spatialIndexFor(index, attributes));
      await createSpatialIndex(deps.db.project(job.projectId), deps.db.dialect, spatialIndexFor(index, attributes));
    } else {
      const keys = JSON.parse(index.attributes) as string[];
      const orders = JSON.parse(index.orders) as (string | null)[];
      const columns = keys.map((key, i) => {
        const system = Object.hasOwn(SYSTEM_COLUMNS, key) ? SYSTEM_COLUMNS[key as keyof typeof SYSTEM_COLUMNS] : undefined;
        const attribute = attributes.find((a) => a.key === key);
        if (!system && !attribute) throw new Error(`Attribute "${key}" no longer exists`);
        const order = orders[i]?.toLowerCase();
        const direction: 'asc' | 'desc' | null = order === 'asc' || order === 'desc' ? order : null;
        // Lengths only mean something for plain string columns.
        const given = attribute?.type === 'string' && attribute.array !== 1 ? (JSON.parse(index.lengths) as (number | null)[])[i] : null;
        // Text columns are always indexed by a prefix: PostgreSQL refuses index entries over ~2.7 kB.
        const prefix = attribute !== undefined && attribute.array !== 1 && isLongText(attribute);
        const length = prefix ? (given ?? TEXT_INDEX_PREFIX) : given;
        return { column: system ?? attributeColumnName(attribute!.seq), order: direction, length, prefix };
      });
      await createColumnIndex(deps.db.project(job.projectId), index.collection_seq, index.seq, columns, index.type === 'unique');
    }
    await updateIndex(store, index.seq, { status: 'available', updated_at: nowDateTime() });
  } catch (error) {
    await updateIndex(store, index.seq, { status: 'failed', error: errorText(error), updated_at: nowDateTime() });
  }
}

async function removeIndex(deps: ServiceDeps, job: SchemaJob): Promise<void> {
  const store = metadata(deps, job.projectId);
  const index = await findIndexBySeq(store, job.seq);
  if (!index) return;
  await dropAnyIndex(deps, job.projectId, index, await listAttributesOf(store, index.collection_seq));
  await deleteIndexRow(store, index.seq);
}

async function dropAnyIndex(deps: ServiceDeps, projectId: string, index: StoredIndex, attributes: readonly StoredAttribute[]): Promise<void> {
  const db = deps.db.project(projectId);
  if (index.type === 'fulltext') await dropFulltextIndex(db, deps.db.dialect, fulltextIndexFor(index, attributes));
  else if (index.type === 'spatial') await dropSpatialIndex(db, deps.db.dialect, spatialIndexFor(index, attributes));
  else await dropColumnIndex(db, index.collection_seq, index.seq);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
