import { AppError } from '../../core/errors.js';
import { nowDateTime } from '../../core/datetime.js';
import { parseListQueries } from '../../core/queries.js';
import {
  insertAttribute,
  listAttributeRows,
  SCHEMA_QUERY_ATTRIBUTES,
  schemaStore,
  updateAttribute as updateAttributeRow,
  type StoredAttribute,
} from '../../data/documents/schema-store.js';
import { isRelationship } from '../../data/documents/relationship-store.js';
import type { ServiceDeps } from '../deps.js';
import { apiError, type ApiNames } from './api-names.js';
import { checkScalar, STRING_SUBTYPES, VARCHAR_MAX } from './attribute-values.js';
import { stringifyExactJson } from '../../core/exact-json.js';
import { bigintBounds } from './bigint-values.js';
import { ENCRYPTED_SIZE_MIN } from './encrypted-values.js';
import { isGeometryType } from '../../core/geometry.js';
import { ensureSpatialSupport } from './spatial-support.js';
import { commitWithEvents } from '../event-outbox.js';
import { databaseEvent } from './events.js';
import { deleteRelationshipAttribute } from './relationship-attributes.js';
import { enqueueSchemaJob } from './schema-jobs.js';
import { toAttributeModel, type Model } from './models.js';
import { metadata, requireCollection, type CollectionContext } from './schema-context.js';

/** The attribute types of the create/update routes (`/attributes/<type>`, `/columns/<type>`). */
export const ATTRIBUTE_ROUTE_TYPES = [
  'string',
  ...STRING_SUBTYPES,
  'integer',
  'bigint',
  'float',
  'boolean',
  'email',
  'enum',
  'url',
  'ip',
  'datetime',
  'point',
  'line',
  'polygon',
] as const;
export type AttributeRouteType = (typeof ATTRIBUTE_ROUTE_TYPES)[number];

/** Whether the route type carries its own `size` (the others have none or a fixed limit). */
function hasSize(type: AttributeRouteType): boolean {
  return type === 'string' || type === 'varchar';
}

export interface AttributeInput {
  required: boolean;
  default?: unknown;
  array?: boolean;
  size?: number;
  min?: number;
  max?: number;
  elements?: string[];
  encrypt?: boolean;
  /** Bigint attributes' bounds, exact past 2^53 (min/max stay unset for them). */
  bigintMin?: bigint | number;
  bigintMax?: bigint | number;
}

type Ids = { databaseId: string; collectionId: string };

const KEY = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,35}$/;

/** Route type -> stored type and format, as Appwrite reports them. */
function storedType(type: AttributeRouteType): { type: string; format: string } {
  switch (type) {
    case 'float':
      return { type: 'double', format: '' };
    case 'line':
      return { type: 'linestring', format: '' };
    case 'email':
    case 'enum':
    case 'url':
    case 'ip':
    case 'varchar':
    case 'text':
    case 'mediumtext':
    case 'longtext':
      return { type: 'string', format: type };
    default:
      return { type, format: '' };
  }
}

/** Records the attribute as `processing` and queues the column's creation; answers before the DDL runs. */
export async function createAttribute(
  deps: ServiceDeps,
  projectId: string,
  api: ApiNames,
  ids: Ids,
  routeType: AttributeRouteType,
  key: string,
  input: AttributeInput,
): Promise<Model> {
  const context = await requireCollection(deps, projectId, api, ids);
  const encrypt = input.encrypt === true;
  if (encrypt && hasSize(routeType) && (input.size ?? 0) < ENCRYPTED_SIZE_MIN) {
    throw new AppError('general_bad_request', `Size too small. Encrypted strings require a minimum size of ${ENCRYPTED_SIZE_MIN} characters.`);
  }
  if (!KEY.test(key)) throw new AppError('general_argument_invalid', 'Invalid `key` param: Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can\'t start with a special char');
  const { type, format } = storedType(routeType);
  if (isGeometryType(type)) await ensureSpatialSupport(deps, projectId);
  const now = nowDateTime();
  const draft: Omit<StoredAttribute, 'seq'> = {
    collection_seq: context.collection.seq,
    key,
    type,
    format,
    status: 'processing',
    error: '',
    required: input.required ? 1 : 0,
    array: input.array ? 1 : 0,
    size: hasSize(routeType) ? (input.size ?? null) : null,
    min: input.min ?? null,
    max: input.max ?? null,
    default_value: null,
    elements: routeType === 'enum' ? JSON.stringify(input.elements ?? []) : null,
    encrypt: encrypt ? 1 : 0,
    bigint_min: input.bigintMin === undefined ? null : String(input.bigintMin),
    bigint_max: input.bigintMax === undefined ? null : String(input.bigintMax),
    created_at: now,
    updated_at: now,
  };
  draft.default_value = checkedDefault(api, { ...draft, seq: 0 }, input.default);
  checkDefinition(api, draft, routeType);
  // The `processing` row commits with its event; the job that builds the column is queued once it is there to find.
  const row = await commitWithEvents(deps, projectId, async (trx, emit) => {
    const inserted = await insertAttribute(schemaStore(trx), draft);
    if (inserted === 'exists') throw apiError(api, 'attribute_already_exists', { params: [key] });
    emit(databaseEvent(projectId, { ...ids, child: { kind: 'attributes', id: key }, action: 'create', payload: toAttributeModel(inserted), readableBy: [] }));
    return inserted;
  });
  await enqueueSchemaJob(deps, projectId, { action: 'createAttribute', seq: row.seq });
  return toAttributeModel(row);
}

function checkDefinition(api: ApiNames, attribute: Omit<StoredAttribute, 'seq'>, routeType: AttributeRouteType): void {
  if (routeType === 'string' && (attribute.size === null || attribute.size < 1 || attribute.size > 1_073_741_824)) {
    throw new AppError('general_argument_invalid', 'Invalid `size` param: Value must be a valid range between 1 and 1,073,741,824');
  }
  if (routeType === 'varchar' && (attribute.size === null || attribute.size < 1 || attribute.size > VARCHAR_MAX)) {
    throw new AppError('general_argument_invalid', `Invalid \`size\` param: Value must be a valid range between 1 and ${VARCHAR_MAX.toLocaleString('en-US')}`);
  }
  if (attribute.min !== null && attribute.max !== null && attribute.min > attribute.max) {
    throw apiError(api, 'attribute_value_invalid', { message: 'Minimum value must be lesser than maximum value' });
  }
  if (routeType === 'bigint' || routeType === 'integer') {
    const { min, max } = bigintBounds(attribute);
    if (min > max) throw apiError(api, 'attribute_value_invalid', { message: 'Minimum value must be lesser than maximum value' });
  }
  if (routeType === 'enum') {
    const elements = JSON.parse(attribute.elements ?? '[]') as string[];
    if (elements.length === 0 || elements.some((e) => e.length === 0 || e.length > 255) || new Set(elements).size !== elements.length) {
      throw apiError(api, 'attribute_value_invalid', { message: 'Enum elements must be distinct, non-empty strings of at most 255 chars' });
    }
  }
}

/** The default as JSON for the metadata; required and array attributes take none. */
function checkedDefault(api: ApiNames, attribute: StoredAttribute, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const noun = api.kind === 'legacy' ? 'attribute' : 'column';
  if (attribute.required === 1) throw apiError(api, 'attribute_default_unsupported', { message: `Cannot set default value for required ${noun}` });
  if (attribute.array === 1) throw apiError(api, 'attribute_default_unsupported', { message: `Cannot set default value for array ${noun}s` });
  const checked = checkScalar(attribute, value);
  if ('error' in checked) throw apiError(api, 'attribute_value_invalid', { message: `Invalid default value: ${checked.error}` });
  return stringifyExactJson(checked.value);
}

export function requireAttribute(api: ApiNames, context: CollectionContext, key: string): StoredAttribute {
  const attribute = context.attributes.find((a) => a.key === key);
  if (!attribute) throw apiError(api, 'attribute_not_found', { params: [key] });
  return attribute;
}

export async function listAttributes(
  deps: ServiceDeps,
  projectId: string,
  api: ApiNames,
  ids: Ids,
  input: { queries: string[]; total: boolean },
): Promise<Record<string, unknown>> {
  const { collection } = await requireCollection(deps, projectId, api, ids);
  const list = parseListQueries(input.queries, { attributes: SCHEMA_QUERY_ATTRIBUTES.attributes, noSelect: true });
  const page = await listAttributeRows(metadata(deps, projectId), collection.seq, list, input.total);
  return { total: page.total, [api.fields]: page.rows.map((row) => toAttributeModel(row, api)) };
}

export async function getAttribute(deps: ServiceDeps, projectId: string, api: ApiNames, ids: Ids, key: string): Promise<Model> {
  return toAttributeModel(requireAttribute(api, await requireCollection(deps, projectId, api, ids), key), api);
}

/**
 * Changes required/default/size/min/max/elements or the key. The column is named from the
 * attribute's sequence, so a new key needs no DDL; an index naming the key blocks it.
 */
export async function updateAttribute(
  deps: ServiceDeps,
  projectId: string,
  api: ApiNames,
  ids: Ids,
  routeType: AttributeRouteType,
  key: string,
  input: AttributeInput & { newKey?: string },
): Promise<Model> {
  const context = await requireCollection(deps, projectId, api, ids);
  const attribute = requireAttribute(api, context, key);
  const expected = storedType(routeType);
  if (attribute.type !== expected.type || attribute.format !== expected.format) {
    throw apiError(api, 'attribute_type_invalid', { params: [key] });
  }
  const newKey = input.newKey && input.newKey !== key ? input.newKey : undefined;
  if (newKey !== undefined) {
    if (!KEY.test(newKey)) throw new AppError('general_argument_invalid', 'Invalid `newKey` param: Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can\'t start with a special char');
    if (context.indexes.some((index) => (JSON.parse(index.attributes) as string[]).includes(key))) {
      throw apiError(api, 'index_dependency', { params: [key] });
    }
  }
  const next: StoredAttribute = {
    ...attribute,
    required: input.required ? 1 : 0,
    ...(input.size !== undefined && hasSize(routeType) ? { size: input.size } : {}),
    ...(input.min !== undefined ? { min: input.min } : {}),
    ...(input.max !== undefined ? { max: input.max } : {}),
    ...(input.elements !== undefined && routeType === 'enum' ? { elements: JSON.stringify(input.elements) } : {}),
    ...(input.bigintMin !== undefined ? { bigint_min: String(input.bigintMin) } : {}),
    ...(input.bigintMax !== undefined ? { bigint_max: String(input.bigintMax) } : {}),
  };
  next.default_value = checkedDefault(api, next, input.default);
  checkDefinition(api, next, routeType);
  return commitWithEvents(deps, projectId, async (trx, emit) => {
    const updated = await updateAttributeRow(schemaStore(trx), attribute.seq, {
      key: newKey ?? key,
      required: next.required,
      size: next.size,
      min: next.min,
      max: next.max,
      elements: next.elements,
      bigint_min: next.bigint_min,
      bigint_max: next.bigint_max,
      default_value: next.default_value,
      updated_at: nowDateTime(),
    });
    if (updated === 'exists') throw apiError(api, 'attribute_already_exists', { params: [newKey ?? key] });
    if (!updated) throw apiError(api, 'attribute_not_found', { params: [key] });
    const model = toAttributeModel(updated);
    emit(databaseEvent(projectId, { ...ids, child: { kind: 'attributes', id: updated.key }, action: 'update', payload: model, readableBy: [] }));
    return model;
  });
}

/** Marks the attribute `deleting` and queues dropping its column (and the indexes over it). */
export async function deleteAttribute(deps: ServiceDeps, projectId: string, api: ApiNames, ids: Ids, key: string): Promise<void> {
  const context = await requireCollection(deps, projectId, api, ids);
  const attribute = requireAttribute(api, context, key);
  if (isRelationship(attribute)) return deleteRelationshipAttribute(deps, projectId, api, ids, attribute);
  const model = toAttributeModel({ ...attribute, status: 'deleting' });
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    await updateAttributeRow(schemaStore(trx), attribute.seq, { status: 'deleting', updated_at: nowDateTime() });
    emit(databaseEvent(projectId, { ...ids, child: { kind: 'attributes', id: key }, action: 'delete', payload: model, readableBy: [] }));
  });
  await enqueueSchemaJob(deps, projectId, { action: 'deleteAttribute', seq: attribute.seq });
}
