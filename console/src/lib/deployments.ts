import { Query, type Functions, type Models, type Sites } from '@appwrite.io/console';

/** The statuses of a deployment whose build has not ended. */
export const UNFINISHED = new Set(['waiting', 'processing', 'building']);

/** What the deployments list needs of a function or a site. */
export interface DeploymentSource {
  /** The newest deployments first. */
  list(): Promise<Models.Deployment[]>;
  /** The live deployment as the server has it now (a build may have just activated one). */
  liveId(): Promise<string>;
  /** Makes one live; answers the live deployment's ID. */
  activate(deploymentId: string): Promise<string>;
  cancel(deploymentId: string): Promise<unknown>;
}

const NEWEST = [Query.orderDesc('$createdAt'), Query.limit(25)];

export function functionDeployments(functions: Functions, functionId: string): DeploymentSource {
  return {
    list: async () => (await functions.listDeployments({ functionId, queries: NEWEST })).deployments,
    liveId: async () => (await functions.get({ functionId })).deploymentId,
    activate: async (deploymentId) => (await functions.updateFunctionDeployment({ functionId, deploymentId })).deploymentId,
    cancel: (deploymentId) => functions.updateDeploymentStatus({ functionId, deploymentId }),
  };
}

export function siteDeployments(sites: Sites, siteId: string): DeploymentSource {
  return {
    list: async () => (await sites.listDeployments({ siteId, queries: NEWEST })).deployments,
    liveId: async () => (await sites.get({ siteId })).deploymentId,
    activate: async (deploymentId) => (await sites.updateSiteDeployment({ siteId, deploymentId })).deploymentId,
    cancel: (deploymentId) => sites.updateDeploymentStatus({ siteId, deploymentId }),
  };
}

export function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1048576 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1048576).toFixed(1)} MB`;
}
