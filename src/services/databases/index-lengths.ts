import type { StoredAttribute } from '../../data/documents/schema-store.js';
import { apiError, type ApiNames } from './api-names.js';

/**
 * Appwrite's index length rules, checked when an index is created so a bad one is refused
 * (400) instead of failing in the worker. Lengths count characters; an index may cover at
 * most 768 of them in all, the limit of Appwrite's SQL engines.
 */
export const MAX_INDEX_LENGTH = 768;

/** Characters each string format holds, as Appwrite records them; the others use `size`. */
const STRING_FORMAT_SIZES: Readonly<Record<string, number>> = {
  email: 254,
  enum: 255,
  ip: 39,
  url: 2000,
  text: 65_535,
  mediumtext: 16_777_215,
  longtext: 2_147_483_647,
};

type Indexed = Pick<StoredAttribute, 'key' | 'type' | 'format' | 'size'>;

/** System attributes as Appwrite types them: `$id` is a 255-character string. */
const SYSTEM_ATTRIBUTES: readonly Indexed[] = [
  { key: '$id', type: 'string', format: '', size: 255 },
  { key: '$sequence', type: 'id', format: '', size: null },
  { key: '$createdAt', type: 'datetime', format: '', size: null },
  { key: '$updatedAt', type: 'datetime', format: '', size: null },
];

/** What one attribute adds to an index, and whether it may take a length of its own. */
function indexWidth(attribute: Indexed): { size: number; string: boolean } {
  if (attribute.type === 'string') return { size: STRING_FORMAT_SIZES[attribute.format] ?? attribute.size ?? 0, string: true };
  // A double takes 8 bytes, twice an integer's 4, counted in units of 4 as Appwrite does.
  return { size: attribute.type === 'double' ? 2 : 1, string: false };
}

/**
 * Refuses lengths on non-string attributes, more lengths than attributes, negative lengths,
 * a length past its attribute's size and a total past MAX_INDEX_LENGTH. Fulltext indexes
 * take whole values and are not measured. Runs after each key was found.
 */
export function checkIndexLengths(
  api: ApiNames,
  input: { type: string; attributes: readonly string[]; lengths?: readonly (number | null)[] | undefined },
  attributes: readonly Indexed[],
): void {
  const lengths = input.lengths ?? [];
  const fail = (message: string) => apiError(api, 'index_invalid', { message });
  const widths = input.attributes.map((key) => {
    const attribute = [...attributes, ...SYSTEM_ATTRIBUTES].find((a) => a.key === key);
    if (!attribute) throw apiError(api, 'attribute_unknown', { params: [key] });
    return { key, type: attribute.type, ...indexWidth(attribute) };
  });
  widths.forEach(({ type, string }, i) => {
    if (!string && lengths[i]) throw fail(`Cannot set a length on "${type}" attributes`);
  });
  if (input.type === 'fulltext') return;
  if (lengths.length > input.attributes.length) {
    throw fail('Invalid index lengths. Count of lengths must be equal or less than the number of attributes.');
  }
  let total = 0;
  widths.forEach(({ key, size, string }, i) => {
    const length = string && lengths[i] ? lengths[i] : size;
    if (length < 0) throw fail(`Negative index length provided for ${key}`);
    if (length > size) throw fail(`Index length ${length} is larger than the size for ${key}: ${size}`);
    total += length;
  });
  if (total > MAX_INDEX_LENGTH) throw fail(`Index length is longer than the maximum: ${MAX_INDEX_LENGTH}`);
}
