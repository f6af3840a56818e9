import {
  deleteSiteVariableRow,
  findSiteVariable,
  insertSiteVariable,
  listSiteVariableRows,
  updateSiteVariableRow,
  type SiteVariableRow,
} from '../../data/project/sites.js';
import type { ServiceDeps } from '../deps.js';
import { resourceEnvironment, type VariableResource } from '../functions/index.js';
import { toSiteVariableModel } from './models.js';
import { requireSite } from './sites.js';

export const SITE_VARIABLES: VariableResource<SiteVariableRow> = {
  requireOwner: requireSite,
  // A build may print variables into public files, so they are secret unless said otherwise.
  secretByDefault: true,
  newRow: (siteId, fields) => ({ ...fields, site_id: siteId }),
  insert: insertSiteVariable,
  find: findSiteVariable,
  list: listSiteVariableRows,
  update: updateSiteVariableRow,
  remove: deleteSiteVariableRow,
  toModel: toSiteVariableModel,
};

/** Project variables, then the site's own (which win): the environment a build sees. */
export async function siteEnvironment(deps: ServiceDeps, projectId: string, siteId: string): Promise<Record<string, string>> {
  return resourceEnvironment(SITE_VARIABLES, deps, projectId, siteId);
}
