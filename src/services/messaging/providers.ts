import { decryptValue, encryptValue } from '../../core/crypto.js';
import { nowDateTime } from '../../core/datetime.js';
import { AppError } from '../../core/errors.js';
import { isValidCustomId, resolveId } from '../../core/ids.js';
import { parseListQueries } from '../../core/queries.js';
import {
  deleteProvider as deleteProviderRow,
  findProvider,
  insertProvider,
  listEnabledProviders,
  listProviderRows,
  updateProvider as updateProviderRow,
} from '../../data/messaging/providers.js';
import type { ProviderRow } from '../../data/messaging/tables.js';
import { generateVapidKeys } from '../../infra/messaging/webpush-sender.js';
import type { ServiceDeps } from '../deps.js';
import { commitWithEvents } from '../event-outbox.js';
import { messagingEvent } from './events.js';
import { toProviderModel, type ProviderModel } from './models.js';
import { isComplete, specOf, type ProviderName, type ProviderSpec } from './provider-specs.js';

/** A provider with its credentials in clear, for the delivery worker only. */
export interface ProviderSecrets {
  row: ProviderRow;
  credentials: Record<string, unknown>;
  options: Record<string, unknown>;
}

export type ProviderInput = { name?: string; enabled?: boolean } & Record<string, unknown>;

const ID_RULES =
  'Invalid `providerId` param: Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can\'t start with a special char';

function splitValues(spec: ProviderSpec, input: Record<string, unknown>, base: { credentials: Record<string, unknown>; options: Record<string, unknown> }) {
  const credentials = { ...base.credentials };
  const options = { ...base.options };
  for (const key of Object.keys(spec.credentials)) {
    if (input[key] === undefined) continue;
    credentials[key] = spec.credentials[key] === 'json' && typeof input[key] === 'object' ? JSON.stringify(input[key]) : input[key];
  }
  for (const key of Object.keys(spec.options)) if (input[key] !== undefined) options[key] = input[key];
  return { credentials, options };
}

function searchText(row: Pick<ProviderRow, 'id' | 'name' | 'provider' | 'type'>): string {
  return `${row.id} ${row.name} ${row.provider} ${row.type}`.toLowerCase();
}

function readCredentials(deps: ServiceDeps, row: ProviderRow): Record<string, unknown> {
  return JSON.parse(decryptValue(deps.secretKey, row.credentials)) as Record<string, unknown>;
}

function model(deps: ServiceDeps, row: ProviderRow): ProviderModel {
  return toProviderModel(row, readCredentials(deps, row));
}

/** Creates a provider; it is enabled only when asked and when everything it needs is given. */
export async function createProvider(deps: ServiceDeps, projectId: string, provider: ProviderName, input: ProviderInput & { providerId: string; name: string }) {
  const spec = specOf(provider)!;
  const id = resolveId(input.providerId);
  if (!isValidCustomId(id)) throw new AppError('general_argument_invalid', ID_RULES);
  const { credentials, options } = splitValues(spec, input, { credentials: {}, options: {} });
  if (provider === 'webpush' && !credentials.vapidPrivateKey && !options.vapidPublicKey) {
    // Keys made here, so an app only needs the public one (returned) to subscribe browsers.
    const keys = generateVapidKeys();
    credentials.vapidPrivateKey = keys.privateKey;
    options.vapidPublicKey = keys.publicKey;
  }
  const now = nowDateTime();
  const row: ProviderRow = {
    id,
    name: input.name,
    provider,
    type: spec.channel,
    enabled: input.enabled === true && isComplete(spec, { ...credentials, ...options }) ? 1 : 0,
    credentials: encryptValue(deps.secretKey, JSON.stringify(credentials)),
    options: JSON.stringify(options),
    search: '',
    created_at: now,
    updated_at: now,
  };
  row.search = searchText(row);
  const created = model(deps, row);
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    if (!(await insertProvider(trx, row))) throw new AppError('provider_already_exists');
    emit(messagingEvent(projectId, { levels: [['providers', id]], action: 'create', payload: created }));
  });
  return created;
}

async function requireProvider(deps: ServiceDeps, projectId: string, providerId: string): Promise<ProviderRow> {
  const row = await findProvider(deps.db.project(projectId), providerId);
  if (!row) throw new AppError('provider_not_found');
  return row;
}

/** Changes what is given; enabling a provider that lacks something it needs is refused. */
export async function updateProvider(deps: ServiceDeps, projectId: string, provider: ProviderName, providerId: string, input: ProviderInput) {
  const spec = specOf(provider)!;
  const row = await requireProvider(deps, projectId, providerId);
  if (row.provider !== provider) throw new AppError('provider_incorrect_type');
  const { credentials, options } = splitValues(spec, input, { credentials: readCredentials(deps, row), options: JSON.parse(row.options) });
  let enabled = row.enabled;
  if (input.enabled === true) {
    if (!isComplete(spec, { ...credentials, ...options })) throw new AppError('provider_missing_credentials');
    enabled = 1;
  } else if (input.enabled === false) {
    enabled = 0;
  }
  const name = input.name ?? row.name;
  const changes = {
    name,
    enabled,
    credentials: encryptValue(deps.secretKey, JSON.stringify(credentials)),
    options: JSON.stringify(options),
    search: searchText({ ...row, name }),
    updated_at: nowDateTime(),
  };
  const updated = model(deps, { ...row, ...changes });
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    await updateProviderRow(trx, providerId, changes);
    emit(messagingEvent(projectId, { levels: [['providers', providerId]], action: 'update', payload: updated }));
  });
  return updated;
}

export async function getProvider(deps: ServiceDeps, projectId: string, providerId: string) {
  return model(deps, await requireProvider(deps, projectId, providerId));
}

export async function listProviders(deps: ServiceDeps, projectId: string, input: { queries: string[]; search: string; total: boolean }) {
  const list = parseListQueries(input.queries, { attributes: ['name', 'provider', 'type', 'enabled'] });
  const page = await listProviderRows(deps.db.project(projectId), list, { total: input.total, search: input.search });
  return { total: page.total, providers: page.rows.map((row) => model(deps, row)) };
}

export async function deleteProvider(deps: ServiceDeps, projectId: string, providerId: string): Promise<void> {
  const row = await requireProvider(deps, projectId, providerId);
  await commitWithEvents(deps, projectId, async (trx, emit) => {
    if (!(await deleteProviderRow(trx, providerId))) throw new AppError('provider_not_found');
    emit(messagingEvent(projectId, { levels: [['providers', providerId]], action: 'delete', payload: model(deps, row) }));
  });
}

/** The enabled providers of a channel with their credentials, oldest (the default) first. */
export async function enabledProviders(deps: ServiceDeps, projectId: string, channel: string): Promise<ProviderSecrets[]> {
  const rows = await listEnabledProviders(deps.db.project(projectId), channel);
  return rows.map((row) => ({ row, credentials: readCredentials(deps, row), options: JSON.parse(row.options) as Record<string, unknown> }));
}
