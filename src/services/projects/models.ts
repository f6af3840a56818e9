import { toPolicyFields } from './policies.js';
import { toSmtpFields } from '../messages/index.js';
import { toAuthProviderModels, type AuthProviderModel } from './oauth2-fields.js';
import { summariseOAuth2Settings } from './oauth2-providers.js';
import type { KeyRow, MockPhoneRow, PlatformRow, ProjectRow } from '../../data/tables.js';
import { toPlatformModel, type PlatformModel } from './platform-models.js';
import type { WebhookModel } from '../webhooks/index.js';
import { toProjectDetails } from './project-details.js';
import { toSwitchFields, type ProjectSwitchFields, type ProjectSwitchLists } from './switch-models.js';

/** The fields a project has of its own, without the lists and settings the full model adds. */
export interface ProjectSummary {
  $id: string;
  $createdAt: string;
  $updatedAt: string;
  name: string;
}

export interface KeyModel {
  $id: string;
  $createdAt: string;
  $updatedAt: string;
  name: string;
  expire: string;
  scopes: string[];
  /** Only filled in the answer to its creation: the store keeps a hash. */
  secret: string;
  accessedAt: string;
  sdks: string[];
}

/** Appwrite's `devKey` model: the secret is only filled in the answer to its creation. */
export interface DevKeyModel {
  $id: string;
  $createdAt: string;
  $updatedAt: string;
  name: string;
  expire: string;
  secret: string;
  accessedAt: string;
  sdks: string[];
}

export interface MockNumberModel {
  number: string;
  otp: string;
  $createdAt: string;
  $updatedAt: string;
}

/**
 * Appwrite's `project` model: server.json's fields, plus the fields node-appwrite 27.1's
 * `Models.Project` reads (`authMethods`, `services`, `protocols` lists, `region` …). Fields
 * Plinth has no feature for yet carry a fresh project's defaults.
 */
export interface ProjectModel extends ProjectSummary, ProjectSwitchFields, ProjectSwitchLists {
  region: string;
  onboarding: Record<string, never>;
  blocks: unknown[];
  consoleAccessedAt: string;
  description: string;
  teamId: string;
  logo: string;
  url: string;
  legalName: string;
  legalCountry: string;
  legalState: string;
  legalCity: string;
  legalAddress: string;
  legalTaxId: string;
  authDuration: number;
  authLimit: number;
  authSessionsLimit: number;
  authPasswordHistory: number;
  authPasswordDictionary: boolean;
  authPersonalDataCheck: boolean;
  authDisposableEmails: boolean;
  authCanonicalEmails: boolean;
  authFreeEmails: boolean;
  authMockNumbers: MockNumberModel[];
  authSessionAlerts: boolean;
  authMembershipsUserName: boolean;
  authMembershipsUserEmail: boolean;
  authMembershipsMfa: boolean;
  authMembershipsUserId: boolean;
  authMembershipsUserPhone: boolean;
  authInvalidateSessions: boolean;
  oAuthProviders: AuthProviderModel[];
  platforms: PlatformModel[];
  webhooks: WebhookModel[];
  keys: KeyModel[];
  devKeys: DevKeyModel[];
  smtpEnabled: boolean;
  smtpSenderName: string;
  smtpSenderEmail: string;
  smtpReplyToName: string;
  smtpReplyToEmail: string;
  smtpHost: string;
  smtpPort: number;
  smtpUsername: string;
  smtpPassword: string;
  smtpSecure: string;
  pingCount: number;
  pingedAt: string;
  labels: string[];
  status: string;
}

/** What the full project model is built from; each list in the order it was created. */
export interface ProjectParts {
  project: ProjectRow;
  keys: KeyRow[];
  platforms: PlatformRow[];
  mockPhones: MockPhoneRow[];
  /** The project's webhooks, secrets hidden. */
  webhooks: WebhookModel[];
  settings: ReadonlyMap<string, unknown>;
  /** The project's dev keys, secrets hidden; the API-key view leaves them out. */
  devKeys?: DevKeyModel[];
  /** The switches as node-appwrite's lists, built by whoever owns the switch ids. */
  switchLists: ProjectSwitchLists;
}

export function toProjectSummary(row: ProjectRow): ProjectSummary {
  return { $id: row.id, $createdAt: row.created_at, $updatedAt: row.updated_at, name: row.name };
}

export function toFullProjectModel(parts: ProjectParts): ProjectModel {
  const { project } = parts;
  return {
    ...toProjectSummary(project),
    ...toProjectDetails(parts.settings),
    teamId: project.team_id ?? '',
    authMockNumbers: parts.mockPhones.map(toMockNumberModel),
    ...toPolicyFields(parts.settings),
    oAuthProviders: toAuthProviderModels(summariseOAuth2Settings(parts.settings)),
    platforms: parts.platforms.map(toPlatformModel),
    webhooks: parts.webhooks,
    keys: parts.keys.map((row) => toKeyModel(row)),
    devKeys: parts.devKeys ?? [],
    ...toSmtpFields(parts.settings),
    pingCount: 0,
    pingedAt: '',
    labels: JSON.parse(project.labels) as string[],
    status: 'active',
    ...toSwitchFields(parts.settings),
    ...parts.switchLists,
    region: 'default',
    onboarding: {},
    blocks: [],
    consoleAccessedAt: '',
  };
}

export function toKeyModel(row: KeyRow, secret = ''): KeyModel {
  return {
    $id: row.id,
    $createdAt: row.created_at,
    $updatedAt: row.updated_at,
    name: row.name,
    expire: row.expire ?? '',
    scopes: JSON.parse(row.scopes) as string[],
    secret,
    accessedAt: row.accessed_at ?? '',
    sdks: JSON.parse(row.sdks) as string[],
  };
}

function toMockNumberModel(row: MockPhoneRow): MockNumberModel {
  return { number: row.number, otp: row.otp, $createdAt: row.created_at, $updatedAt: row.updated_at };
}
