import { decryptValue, encryptValue } from '../../core/crypto.js';
import { deriveKey } from '../../core/derived-keys.js';
import type { Filter, ParsedList } from '../../core/queries.js';
import type { StoredAttribute } from '../../data/documents/schema-store.js';
import { apiError, type ApiNames } from './api-names.js';

/**
 * String attributes created with `encrypt: true` hold their values encrypted with a key of
 * the project's own (derived from the server key), and readers get them in clear. A
 * ciphertext compares with nothing, so queries and indexes on them are refused.
 */

/** Strings Appwrite encrypts must leave room for the ciphertext: its minimum `size`. */
export const ENCRYPTED_SIZE_MIN = 150;

/** An attribute as a request holds it: encrypted ones carry the project's key. */
export type KeyedAttribute = StoredAttribute & { readonly sealKey?: Buffer };

export function attributesKey(secretKey: Buffer, projectId: string): Buffer {
  return deriveKey(secretKey, 'attributes', projectId);
}

/** The attributes, the encrypted ones with the key their values need. */
export function withSealKeys(attributes: readonly StoredAttribute[], key: Buffer): StoredAttribute[] {
  return attributes.map((attribute) => (attribute.encrypt === 1 ? ({ ...attribute, sealKey: key } as KeyedAttribute) : attribute));
}

function keyOf(attribute: KeyedAttribute): Buffer {
  // Never fall back to clear text: an encrypted attribute met without its key is a bug.
  if (!attribute.sealKey) throw new Error(`attribute ${attribute.key} is encrypted but its key was not loaded`);
  return attribute.sealKey;
}

export function sealString(attribute: KeyedAttribute, value: string): string {
  return encryptValue(keyOf(attribute), value);
}

export function openString(attribute: KeyedAttribute, stored: string): string {
  return decryptValue(keyOf(attribute), stored);
}

/** Refuses filters and orders on encrypted attributes: they would match nothing, silently. */
export function refuseEncryptedQueries(api: ApiNames, attributes: readonly StoredAttribute[], list: ParsedList): void {
  const encrypted = new Set(attributes.filter((a) => a.encrypt === 1).map((a) => a.key));
  if (encrypted.size === 0) return;
  const refuse = (key: string) => {
    if (encrypted.has(key)) throw apiError(api, 'general_query_invalid', { message: `Invalid query: Cannot query encrypted attribute: ${key}` });
  };
  const walk = (filter: Filter): void => {
    if (filter.kind === 'logical') filter.filters.forEach(walk);
    else refuse(filter.attribute);
  };
  list.filters.forEach(walk);
  for (const order of list.orders) refuse(order.attribute);
}
