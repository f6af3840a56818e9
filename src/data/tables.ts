import type { Generated, Insertable, Selectable } from 'kysely';
import type { TransactionTables } from './documents/transaction-tables.js';
import type { MessagingTables } from './messaging/tables.js';
import type { DeployableTables } from './project/deployable-tables.js';
import type { ExecutionTables } from './project/execution-table.js';
import type { PresenceTables } from './project/presence-tables.js';
import type { StorageTables } from './storage/tables.js';

/** Tables of the platform store: what exists across projects. Datetimes are ISO text. */
export interface PlatformTables {
  projects: ProjectTable;
  keys: KeyRow;
  /** One row counting writes to projects, keys and project_settings (migration 0016). */
  access_version: { id: number; version: number };
  dev_keys: DevKeyRow;
  platforms: PlatformRow;
  platforms_listed: ListedPlatformRow;
  jobs: JobRow;
  project_settings: ProjectSettingRow;
  variables: VariableRow;
  variables_listed: ListedVariableRow;
  mock_phones: MockPhoneRow;
  rate_limits: RateLimitRow;
  function_host_names: FunctionHostNameRow;
  site_host_names: SiteHostNameRow;
  runtime_placements: RuntimePlacementRow;
  proxy_rules: ProxyRuleRow;
  event_outbox_projects: { project_id: string };
  webhooks: WebhookRow;
  schedules: ScheduleRow;
}

/** A schedule of a project's function, execution or message (platform migration 0014), run by the server. */
export interface ScheduleRow {
  id: string;
  project_id: string;
  resource_type: 'function' | 'execution' | 'message';
  resource_id: string;
  resource_updated_at: string;
  /** A cron expression, in UTC. */
  schedule: string;
  /** JSON object: what the resource needs to run (an execution's method, path, headers, body). */
  data: string;
  active: number;
  created_at: string;
  updated_at: string;
}

/** A project's webhook (platform migration 0012); secrets encrypted with the server key. */
export interface WebhookRow {
  project_id: string;
  id: string;
  name: string;
  url: string;
  /** JSON array of event patterns. */
  events: string;
  enabled: number;
  security: number;
  auth_username: string;
  auth_password: string;
  signature_key: string;
  logs: string;
  attempts: number;
  search: string;
  created_at: string;
  updated_at: string;
}

export interface ProjectTable {
  id: string;
  name: string;
  /** JSON array of label strings. */
  labels: Generated<string>;
  /** The organization (a team of the console project) the project belongs to. */
  team_id: Generated<string | null>;
  created_at: string;
  updated_at: string;
}
export type ProjectRow = Selectable<ProjectTable>;
export type NewProjectRow = Insertable<ProjectTable>;

export interface KeyRow {
  id: string;
  project_id: string;
  name: string;
  /** JSON array of scope names. */
  scopes: string;
  expire: string | null;
  /** SHA-256 of the whole secret: secrets are random and long, so a fast hash is enough. */
  secret_hash: string;
  accessed_at: string | null;
  /** JSON array of SDK names seen using the key. */
  sdks: string;
  created_at: string;
  updated_at: string;
}

/** A key for local development: lifts abuse limits for its project until it expires; grants no scopes. */
export interface DevKeyRow {
  id: string;
  project_id: string;
  name: string;
  expire: string;
  /** SHA-256 of the secret, as for API keys. */
  secret_hash: string;
  accessed_at: string | null;
  /** JSON array of SDK names seen using the key. */
  sdks: string;
  created_at: string;
  updated_at: string;
}

export interface PlatformRow {
  id: string;
  project_id: string;
  type: string;
  name: string;
  /** Bundle id, package name or app id, depending on the type. */
  identifier: string | null;
  hostname: string | null;
  created_at: string;
  updated_at: string;
}

/** A platform with its app identifier under the column of its type's API name (view, platform migration 0014). */
export interface ListedPlatformRow extends PlatformRow {
  bundle_identifier: string | null;
  application_id: string | null;
  package_identifier_name: string | null;
  package_name: string | null;
}

export interface JobRow {
  id: Generated<number>;
  project_id: string | null;
  queue: string;
  /** JSON payload. */
  payload: string;
  status: 'pending' | 'failed';
  attempts: number;
  max_attempts: number;
  /** Epoch milliseconds. */
  run_at: number;
  locked_until: number | null;
  last_error: string | null;
  created_at: string;
  /** The worker node that should take the job first (where its work is warm); others wait a moment. */
  preferred_node: string | null;
}

export interface ProjectSettingRow {
  project_id: string;
  /** e.g. `service:account`, `protocol:rest`, `auth:anonymous`, `policy:session-limit`. */
  name: string;
  /** JSON. */
  value: string;
  updated_at: string;
}

export interface VariableRow {
  id: string;
  project_id: string;
  key: string;
  /** Encrypted with the server secret (see core/crypto). */
  value: string;
  /** 1 when the value may never be read back through the API. */
  secret: number;
  created_at: string;
  updated_at: string;
}

/** A project variable with the resource it belongs to, the project (view, platform migration 0014). */
export interface ListedVariableRow extends VariableRow {
  resource_type: string;
  resource_id: string;
}

export interface MockPhoneRow {
  project_id: string;
  number: string;
  otp: string;
  created_at: string;
  updated_at: string;
}

export interface RateLimitRow {
  /** What is limited and for whom, e.g. `p1:account.sessions.email:ip:127.0.0.1`. */
  key: string;
  /** Epoch milliseconds at which the current window began. */
  window_start: number;
  hits: number;
}

/** Tables of one project's store. Services add theirs through project migrations. */
export interface ProjectTables extends StorageTables, ExecutionTables, DeployableTables, TransactionTables, MessagingTables, PresenceTables {
  plinth_migrations: MigrationRow;
  users: UserRow;
  sessions: SessionRow;
  tokens: TokenRow;
  identities: IdentityRow;
  authenticators: AuthenticatorRow;
  challenges: ChallengeRow;
  teams: TeamRow;
  memberships: MembershipRow;
  targets: TargetRow;
  auth_logs: AuthLogRow;
  resource_logs: ResourceLogRow;
  event_outbox: EventOutboxTable;
}

export interface UserRow {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  password_hash: string | null;
  hash_algorithm: string | null;
  /** JSON of the algorithm's options, as the user model shows them. */
  hash_options: string | null;
  password_updated_at: string | null;
  /** JSON array of earlier password hashes (argon2id), newest first. */
  password_history: string;
  status: number;
  /** JSON array. */
  labels: string;
  /** JSON object. */
  prefs: string;
  email_verified: number;
  phone_verified: number;
  mfa: number;
  /** Encrypted JSON array of unused recovery codes. */
  mfa_recovery_codes: string | null;
  impersonator: number;
  accessed_at: string | null;
  search: string;
  registered_at: string;
  created_at: string;
  updated_at: string;
}

export interface SessionRow {
  id: string;
  user_id: string;
  secret_hash: string;
  provider: string;
  provider_uid: string;
  /** Encrypted, or empty. */
  provider_access_token: string;
  provider_access_token_expiry: string;
  /** Encrypted, or empty. */
  provider_refresh_token: string;
  ip: string;
  user_agent: string;
  /** JSON array of factors proven in this session. */
  factors: string;
  mfa_updated_at: string | null;
  expire: string;
  created_at: string;
  updated_at: string;
}

export interface TokenRow {
  id: string;
  user_id: string;
  /** `magic-url`, `email`, `phone`, `generic`, `recovery`, `verification`, `phone-verification`, `oauth2`. */
  type: string;
  secret_hash: string;
  expire: string;
  ip: string;
  user_agent: string;
  created_at: string;
}

export interface IdentityRow {
  id: string;
  user_id: string;
  provider: string;
  provider_uid: string;
  provider_email: string;
  provider_access_token: string;
  provider_access_token_expiry: string;
  provider_refresh_token: string;
  created_at: string;
  updated_at: string;
}

export interface AuthenticatorRow {
  user_id: string;
  type: string;
  /** Encrypted. */
  secret: string;
  verified: number;
  created_at: string;
  updated_at: string;
}

export interface ChallengeRow {
  id: string;
  user_id: string;
  type: string;
  code_hash: string;
  expire: string;
  created_at: string;
}

export interface TeamRow {
  id: string;
  name: string;
  total: number;
  /** JSON object. */
  prefs: string;
  search: string;
  created_at: string;
  updated_at: string;
}

export interface MembershipRow {
  id: string;
  team_id: string;
  user_id: string;
  /** JSON array. */
  roles: string;
  confirmed: number;
  secret_hash: string | null;
  invited_at: string;
  joined_at: string | null;
  search: string;
  created_at: string;
  updated_at: string;
}

export interface TargetRow {
  id: string;
  user_id: string;
  name: string;
  provider_id: string | null;
  /** `email`, `sms` or `push`. */
  provider_type: string;
  identifier: string;
  expired: number;
  created_at: string;
  updated_at: string;
}

export interface AuthLogRow {
  id: Generated<number>;
  user_id: string;
  event: string;
  user_email: string;
  user_name: string;
  /** `default`, or `admin` when an API key acted for the user. */
  mode: string;
  ip: string;
  user_agent: string;
  time: string;
}

/** A change to a resource (`message/ID` …) and who made it (migration 0015). */
export interface ResourceLogRow extends Omit<AuthLogRow, 'mode'> {
  resource: string;
  /** `user`, `admin` or `keyProject`, as Appwrite names the kinds of actor. */
  user_type: string;
  /** `admin` for an administrator in admin mode, else `default`. */
  mode: string;
}

/** An event waiting to be handed to the consumers that must not lose it (migration 0011). */
export interface EventOutboxTable {
  seq: Generated<number>;
  /** The event as JSON. */
  event: string;
  /** Epoch milliseconds until which a node holds the row; null while unclaimed. */
  claimed_until: number | null;
}

export interface MigrationRow {
  name: string;
  applied_at: string;
}

/** Tables of the Databases/TablesDB schema (migration 0002); documents live in docs_<collection seq>. */
export interface DatabaseTables {
  databases: DatabaseRow;
  collections: CollectionRow;
  attributes: AttributeRow;
  indexes: IndexRow;
}

export interface DatabaseRow {
  seq: Generated<number>;
  id: string;
  name: string;
  enabled: number;
  type: string;
  created_at: string;
  updated_at: string;
}

export interface CollectionRow {
  seq: Generated<number>;
  database_seq: number;
  id: string;
  name: string;
  enabled: number;
  document_security: number;
  permissions: string;
  created_at: string;
  updated_at: string;
}

export interface AttributeRow {
  seq: Generated<number>;
  collection_seq: number;
  key: string;
  type: string;
  format: string;
  status: string;
  error: string;
  required: number;
  array: number;
  size: number | null;
  min: number | null;
  max: number | null;
  default_value: string | null;
  elements: string | null;
  /** 1 when string values are held encrypted at rest. */
  encrypt: Generated<number>;
  /** A bigint attribute's bounds as decimal text; null for the 64-bit limit. */
  bigint_min: string | null;
  bigint_max: string | null;
  created_at: string;
  updated_at: string;
}

export interface IndexRow {
  seq: Generated<number>;
  collection_seq: number;
  key: string;
  type: string;
  status: string;
  error: string;
  attributes: string;
  orders: string;
  lengths: string;
  created_at: string;
  updated_at: string;
}

/** Which function a host name (`<label>.functions.<domain>`) belongs to. */
export interface FunctionHostNameRow {
  /** The label, lower case: the function id, or `<functionId>--<projectId>` (see core/function-host-labels). */
  host: string;
  function_id: string;
  project_id: string;
}

/** Which site a host name (`<label>.sites.<domain>`) belongs to. */
export interface SiteHostNameRow {
  /** The label, lower case: the site id, or `<siteId>--<projectId>` (see core/function-host-labels). */
  host: string;
  site_id: string;
  project_id: string;
}

/** A node that holds a deployment's runtime warm, until `expires_at` (epoch ms) unless it says so again. */
export interface RuntimePlacementRow {
  /** `<projectId>/<deploymentId>`. */
  runtime: string;
  node_id: string;
  expires_at: number;
}

/** A domain a project answers on (see services/proxy); domains are unique across projects. */
export interface ProxyRuleRow {
  id: string;
  project_id: string;
  /** Lower case, no trailing dot. */
  domain: string;
  /** `api`, `deployment` or `redirect`. */
  type: string;
  /** `manual` (asked for) or `deployment` (made by the server). */
  trigger: string;
  redirect_url: string;
  redirect_status_code: number;
  deployment_id: string;
  /** `function`, `site`, or '' for API rules. */
  deployment_resource_type: string;
  deployment_resource_id: string;
  deployment_vcs_provider_branch: string;
  /** `created`, `verifying`, `verified` or `unverified`. */
  status: string;
  /** What the last verification found, for the owner to read. */
  logs: string;
  search: string;
  created_at: string;
  updated_at: string;
}
