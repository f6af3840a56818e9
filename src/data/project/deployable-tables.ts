/**
 * Tables of a project's store that hold functions and sites, their deployments and variables
 * (project migrations), and the request log of sites. Booleans are 0/1, lists JSON text.
 */
export interface DeployableTables {
  functions: FunctionRow;
  deployments: DeploymentRow;
  function_variables: FunctionVariableRow;
  sites: SiteRow;
  site_deployments: SiteDeploymentRow;
  site_variables: SiteVariableRow;
  site_logs: SiteLogRow;
}

export type DeploymentStatus = 'waiting' | 'processing' | 'building' | 'ready' | 'failed' | 'canceled';

/** What a function and a site both hold: their settings of running and their live deployment. */
interface DeployableRow {
  id: string;
  name: string;
  timeout: number;
  enabled: number;
  logging: number;
  specification: string;
  deployment_retention: number;
  deployment_id: string;
  deployment_created_at: string;
  search: string;
  created_at: string;
  updated_at: string;
}

export interface FunctionRow extends DeployableRow {
  runtime: string;
  execute: string;
  events: string;
  scopes: string;
  schedule: string;
  entrypoint: string;
  commands: string;
}

/** What a function's and a site's deployments both hold: the build and its outcome. */
interface BuildRow {
  id: string;
  activate: number;
  status: DeploymentStatus;
  source_size: number;
  build_size: number;
  build_logs: string;
  build_duration: number;
  search: string;
  created_at: string;
  updated_at: string;
}

export interface DeploymentRow extends BuildRow {
  function_id: string;
  entrypoint: string;
  commands: string;
}

/** A variable of a function or a site (its `secret` hides the value from reads). */
interface VariableRow {
  id: string;
  key: string;
  value: string;
  secret: number;
  created_at: string;
  updated_at: string;
}

export interface FunctionVariableRow extends VariableRow {
  function_id: string;
}

export interface SiteRow extends DeployableRow {
  framework: string;
  adapter: string;
  install_command: string;
  build_command: string;
  start_command: string;
  output_directory: string;
  fallback_file: string;
  build_runtime: string;
}

export interface SiteDeploymentRow extends BuildRow {
  site_id: string;
  install_command: string;
  build_command: string;
  output_directory: string;
}

export interface SiteVariableRow extends VariableRow {
  site_id: string;
}

export interface SiteLogRow {
  id: string;
  site_id: string;
  deployment_id: string;
  trigger: 'http';
  status: 'completed' | 'failed';
  request_method: string;
  request_path: string;
  request_headers: string;
  response_status_code: number;
  response_headers: string;
  logs: string;
  errors: string;
  duration: number;
  created_at: string;
  updated_at: string;
}
