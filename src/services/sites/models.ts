import type { SiteDeploymentRow, SiteRow, SiteVariableRow } from '../../data/project/sites.js';
import { deploymentModel, type DeploymentModel } from '../functions/index.js';
import { toVariableModel, type VariableModel } from '../projects/index.js';

/** Appwrite's `site` model. */
export interface SiteModel {
  $id: string;
  $createdAt: string;
  $updatedAt: string;
  name: string;
  enabled: boolean;
  live: boolean;
  logging: boolean;
  framework: string;
  deploymentRetention: number;
  deploymentId: string;
  deploymentCreatedAt: string;
  deploymentScreenshotLight: string;
  deploymentScreenshotDark: string;
  latestDeploymentId: string;
  latestDeploymentCreatedAt: string;
  latestDeploymentStatus: string;
  vars: VariableModel[];
  timeout: number;
  installCommand: string;
  buildCommand: string;
  startCommand: string;
  outputDirectory: string;
  installationId: string;
  providerRepositoryId: string;
  providerBranch: string;
  providerRootDirectory: string;
  providerSilentMode: boolean;
  buildSpecification: string;
  runtimeSpecification: string;
  buildRuntime: string;
  adapter: string;
  fallbackFile: string;
}

/** `value` is the decrypted value; a secret variable never shows it. */
export function toSiteVariableModel(row: SiteVariableRow, value: string): VariableModel {
  return toVariableModel(row, value, { resourceType: 'site', resourceId: row.site_id });
}

export function toSiteModel(row: SiteRow, latest: SiteDeploymentRow | undefined, vars: VariableModel[]): SiteModel {
  return {
    $id: row.id,
    $createdAt: row.created_at,
    $updatedAt: row.updated_at,
    name: row.name,
    enabled: row.enabled === 1,
    live: true,
    logging: row.logging === 1,
    framework: row.framework,
    deploymentRetention: row.deployment_retention,
    deploymentId: row.deployment_id,
    deploymentCreatedAt: row.deployment_created_at,
    deploymentScreenshotLight: '',
    deploymentScreenshotDark: '',
    latestDeploymentId: latest?.id ?? '',
    latestDeploymentCreatedAt: latest?.created_at ?? '',
    latestDeploymentStatus: latest?.status ?? '',
    vars,
    timeout: row.timeout,
    installCommand: row.install_command,
    buildCommand: row.build_command,
    startCommand: row.start_command,
    outputDirectory: row.output_directory,
    installationId: '',
    providerRepositoryId: '',
    providerBranch: '',
    providerRootDirectory: '',
    providerSilentMode: false,
    buildSpecification: row.specification,
    runtimeSpecification: row.specification,
    buildRuntime: row.build_runtime,
    adapter: row.adapter,
    fallbackFile: row.fallback_file,
  };
}

/** Appwrite's `deployment` model for a site's deployment. */
export function toSiteDeploymentModel(row: SiteDeploymentRow): DeploymentModel {
  return deploymentModel(row, { resourceId: row.site_id, resourceType: 'sites', entrypoint: '' });
}

export type SiteDeploymentModel = DeploymentModel;
