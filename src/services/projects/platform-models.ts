import type { PlatformRow } from '../../data/tables.js';

export const PLATFORM_TYPES = ['web', 'apple', 'android', 'windows', 'linux'] as const;
export type PlatformType = (typeof PLATFORM_TYPES)[number];

/** The field each platform type identifies its app by, as the API names it. */
export const PLATFORM_TARGET_FIELDS = {
  web: 'hostname',
  apple: 'bundleIdentifier',
  android: 'applicationId',
  windows: 'packageIdentifierName',
  linux: 'packageName',
} as const satisfies Record<PlatformType, string>;
export type PlatformTargetField = (typeof PLATFORM_TARGET_FIELDS)[PlatformType];

interface PlatformBase<T extends PlatformType> {
  $id: string;
  $createdAt: string;
  $updatedAt: string;
  name: string;
  type: T;
}

export type PlatformWebModel = PlatformBase<'web'> & { hostname: string };
export type PlatformAppleModel = PlatformBase<'apple'> & { bundleIdentifier: string };
export type PlatformAndroidModel = PlatformBase<'android'> & { applicationId: string };
export type PlatformWindowsModel = PlatformBase<'windows'> & { packageIdentifierName: string };
export type PlatformLinuxModel = PlatformBase<'linux'> & { packageName: string };
export type PlatformModel = PlatformWebModel | PlatformAppleModel | PlatformAndroidModel | PlatformWindowsModel | PlatformLinuxModel;

export interface PlatformListModel {
  total: number;
  platforms: PlatformModel[];
}

export function isPlatformType(type: string): type is PlatformType {
  return (PLATFORM_TYPES as readonly string[]).includes(type);
}

/** Each platform in the model of its own type: web platforms carry a hostname, apps an identifier. */
export function toPlatformModel(row: PlatformRow): PlatformModel {
  if (!isPlatformType(row.type)) throw new Error(`platform ${row.id} has an unknown type "${row.type}"`);
  const base = { $id: row.id, $createdAt: row.created_at, $updatedAt: row.updated_at, name: row.name };
  const target = row.type === 'web' ? (row.hostname ?? '') : (row.identifier ?? '');
  return { ...base, type: row.type, [PLATFORM_TARGET_FIELDS[row.type]]: target } as PlatformModel;
}

/** The 1.8 platform, which named an app by `key` and had fields since dropped; current fields are kept beside them. */
export type PlatformModelV18 = PlatformModel & { key: string; store: string; hostname: string; httpUser: string; httpPass: string };

export function toPlatformModelV18(model: PlatformModel): PlatformModelV18 {
  const target = (model as unknown as Record<string, string>)[PLATFORM_TARGET_FIELDS[model.type]] ?? '';
  return { ...model, key: model.type === 'web' ? '' : target, store: '', hostname: model.type === 'web' ? target : '', httpUser: '', httpPass: '' };
}

export interface VariableModel {
  $id: string;
  $createdAt: string;
  $updatedAt: string;
  key: string;
  /** Empty for a secret variable: its value is never read back through the API. */
  value: string;
  secret: boolean;
  /** `project`, or `function` for a function's own variables. */
  resourceType: 'project' | 'function' | 'site';
  /** The function's id; empty for project variables. */
  resourceId: string;
}

/** What project and function variable rows both hold. */
interface StoredVariable {
  id: string;
  created_at: string;
  updated_at: string;
  key: string;
  secret: number;
}

export interface VariableListModel {
  total: number;
  variables: VariableModel[];
}

/**
 * `value` is the decrypted value; it is left out of the model when the variable is secret.
 * Project variables by default; a function's variables name the function.
 */
export function toVariableModel(
  row: StoredVariable,
  value: string,
  resource: Pick<VariableModel, 'resourceType' | 'resourceId'> = { resourceType: 'project', resourceId: '' },
): VariableModel {
  const secret = row.secret === 1;
  return {
    $id: row.id,
    $createdAt: row.created_at,
    $updatedAt: row.updated_at,
    key: row.key,
    value: secret ? '' : value,
    secret,
    ...resource,
  };
}
