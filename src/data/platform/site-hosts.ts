import type { Kysely } from 'kysely';
import { functionHostLabels } from '../../core/function-host-labels.js';
import type { PlatformTables } from '../tables.js';

/**
 * Gives a site its host names as functions get theirs: `<siteId>--<projectId>`, which no other
 * site's names can equal, then `<siteId>` when no other project's site holds it and no rule holds
 * `<siteId>.<sitesDomain>`. Returns the labels this site got.
 */
export async function claimSiteHosts(db: Kysely<PlatformTables>, siteId: string, projectId: string, sitesDomain: string): Promise<string[]> {
  const { long, bare } = functionHostLabels(siteId, projectId);
  const claimed: string[] = [];
  for (const host of [long, bare]) {
    if (host === undefined) continue;
    const ruled = await db.selectFrom('proxy_rules').select('id').where('domain', '=', `${host}.${sitesDomain}`).executeTakeFirst();
    if (ruled) continue;
    const result = await db.insertInto('site_host_names').values({ host, site_id: siteId, project_id: projectId }).onConflict((conflict) => conflict.doNothing()).executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) > 0) claimed.push(host);
  }
  return claimed;
}

/** Frees the host names this project's site held. */
export async function releaseSiteHosts(db: Kysely<PlatformTables>, siteId: string, projectId: string): Promise<void> {
  await db.deleteFrom('site_host_names').where('site_id', '=', siteId).where('project_id', '=', projectId).execute();
}

export async function findSiteHost(db: Kysely<PlatformTables>, host: string): Promise<{ projectId: string; siteId: string } | undefined> {
  const row = await db.selectFrom('site_host_names').select(['project_id', 'site_id']).where('host', '=', host).executeTakeFirst();
  return row && { projectId: row.project_id, siteId: row.site_id };
}
