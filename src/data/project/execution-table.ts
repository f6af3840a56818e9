/** The executions table of a project's store (project migration 0006): one row per function run. */
export interface ExecutionTables {
  executions: ExecutionRow;
}

export type ExecutionStatus = 'waiting' | 'processing' | 'completed' | 'failed' | 'scheduled';

export interface ExecutionRow {
  id: string;
  function_id: string;
  deployment_id: string;
  user_id: string;
  permissions: string;
  trigger: 'http' | 'schedule' | 'event';
  status: ExecutionStatus;
  request_method: string;
  request_path: string;
  request_headers: string;
  response_status_code: number;
  response_body: string;
  response_headers: string;
  logs: string;
  errors: string;
  duration: number;
  scheduled_at: string | null;
  created_at: string;
  updated_at: string;
}
