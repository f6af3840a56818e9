import {
  deleteSiteVariableRow,
  findSiteVariable,
  insertSiteVariable,
  listSiteVariableRows,
  updateSiteVariableRow,
  type SiteVariableRow,
} from '../../data/project/sites.js';
import type { ServiceDeps } from '../deps.js';
import {
  createResourceVariable,
  deleteResourceVariable,
  getResourceVariable,
  listResourceVariables,
  resourceEnvironment,
  updateResourceVariable,
  type VariableResource,
} from '../functions/index.js';
import type { VariableModel } from '../projects/index.js';
import { toSiteVariableModel } from './models.js';
import { requireSite } from './sites.js';

const SITE_VARIABLES: VariableResource<SiteVariableRow> = {
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

export async function createSiteVariable(
  deps: ServiceDeps,
  projectId: string,
  siteId: string,
  input: { variableId?: string | undefined; key: string; value: string; secret?: boolean | undefined },
): Promise<VariableModel> {
  return createResourceVariable(SITE_VARIABLES, deps, projectId, siteId, input);
}

export async function listSiteVariables(deps: ServiceDeps, projectId: string, siteId: string): Promise<{ total: number; variables: VariableModel[] }> {
  return listResourceVariables(SITE_VARIABLES, deps, projectId, siteId);
}

export async function getSiteVariable(deps: ServiceDeps, projectId: string, siteId: string, variableId: string): Promise<VariableModel> {
  return getResourceVariable(SITE_VARIABLES, deps, projectId, siteId, variableId);
}

export async function updateSiteVariable(
  deps: ServiceDeps,
  projectId: string,
  siteId: string,
  variableId: string,
  input: { key: string; value?: string | null; secret?: boolean | null },
): Promise<VariableModel> {
  return updateResourceVariable(SITE_VARIABLES, deps, projectId, siteId, variableId, input);
}

export async function deleteSiteVariable(deps: ServiceDeps, projectId: string, siteId: string, variableId: string): Promise<void> {
  return deleteResourceVariable(SITE_VARIABLES, deps, projectId, siteId, variableId);
}

/** Project variables, then the site's own (which win): the environment a build sees. */
export async function siteEnvironment(deps: ServiceDeps, projectId: string, siteId: string): Promise<Record<string, string>> {
  return resourceEnvironment(SITE_VARIABLES, deps, projectId, siteId);
}
