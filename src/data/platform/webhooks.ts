import { sql, type Kysely } from 'kysely';
import type { ParsedList } from '../../core/queries.js';
import { listRows, type ListTable } from '../list-query.js';
import type { PlatformTables, WebhookRow } from '../tables.js';
import { uniqueOrExists } from '../duplicates.js';

type Store = Kysely<PlatformTables>;

const WEBHOOKS_LIST_TABLE: ListTable = {
  table: 'webhooks',
  columns: {
    $id: 'id',
    $createdAt: 'created_at',
    $updatedAt: 'updated_at',
    name: 'name',
    url: 'url',
    authUsername: 'auth_username',
    tls: 'security',
    events: 'events',
    enabled: 'enabled',
    logs: 'logs',
    attempts: 'attempts',
  },
  booleanColumns: ['security', 'enabled'],
  numberColumns: ['attempts'],
  arrayColumns: ['events'],
  searchColumn: 'search',
};

/** False when the project has a webhook with this id already. */
export async function insertWebhook(db: Store, row: WebhookRow): Promise<boolean> {
  return (await uniqueOrExists(() => db.insertInto('webhooks').values(row).execute())) !== 'exists';
}

export async function findWebhook(db: Store, projectId: string, id: string): Promise<WebhookRow | undefined> {
  return db.selectFrom('webhooks').selectAll().where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
}

export async function listWebhookRows(db: Store, projectId: string, list: ParsedList, options: { total: boolean }): Promise<{ total: number; rows: WebhookRow[] }> {
  return listRows<WebhookRow>(db, WEBHOOKS_LIST_TABLE, list, { ...options, where: { project_id: projectId } });
}

/** All the project's webhooks, oldest first, as the project model lists them. */
export async function listAllWebhookRows(db: Store, projectId: string): Promise<WebhookRow[]> {
  return db.selectFrom('webhooks').selectAll().where('project_id', '=', projectId).orderBy('created_at').orderBy('id').execute();
}

/** The project's enabled webhooks: those an event may go to. */
export async function listEnabledWebhooks(db: Store, projectId: string): Promise<WebhookRow[]> {
  return db.selectFrom('webhooks').selectAll().where('project_id', '=', projectId).where('enabled', '=', 1).execute();
}

export type WebhookChanges = Partial<Omit<WebhookRow, 'project_id' | 'id' | 'created_at'>>;

/** The webhook after the change; undefined when the project has no such webhook. */
export async function updateWebhookRow(db: Store, projectId: string, id: string, changes: WebhookChanges): Promise<WebhookRow | undefined> {
  await db.updateTable('webhooks').set(changes).where('project_id', '=', projectId).where('id', '=', id).execute();
  return findWebhook(db, projectId, id);
}

export async function deleteWebhookRow(db: Store, projectId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('webhooks').where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Counts a failed delivery in one statement (deliveries of one webhook may fail at once on
 * several workers) and disables the webhook once `maxAttempts` failed in a row.
 */
export async function recordWebhookFailure(db: Store, projectId: string, id: string, logs: string, maxAttempts: number, now: string): Promise<WebhookRow | undefined> {
  await db
    .updateTable('webhooks')
    .set({
      attempts: sql`attempts + 1`,
      logs,
      enabled: sql`case when attempts + 1 >= ${maxAttempts} then 0 else enabled end`,
      updated_at: now,
    })
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .execute();
  return findWebhook(db, projectId, id);
}

/** A delivery went through: the count of failures in a row starts again. */
export async function recordWebhookSuccess(db: Store, projectId: string, id: string): Promise<void> {
  await db.updateTable('webhooks').set({ attempts: 0 }).where('project_id', '=', projectId).where('id', '=', id).where('attempts', '<>', 0).execute();
}
