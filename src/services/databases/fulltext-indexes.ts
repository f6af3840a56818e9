import type { FulltextIndex } from '../../data/dialects/fulltext.js';
import { fulltextIndexOf } from '../../data/documents/document-ddl.js';
import { attributeColumnName } from '../../data/documents/naming.js';
import type { StoredAttribute, StoredIndex } from '../../data/documents/schema-store.js';

/** The engine's view of a fulltext index: its table, name and the columns of its attributes. */
export function fulltextIndexFor(index: StoredIndex, attributes: readonly StoredAttribute[]): FulltextIndex {
  const columns = (JSON.parse(index.attributes) as string[])
    .map((key) => attributes.find((a) => a.key === key))
    .filter((a): a is StoredAttribute => a !== undefined)
    .map((a) => attributeColumnName(a.seq));
  return fulltextIndexOf(index.collection_seq, index.seq, columns);
}

/** Every fulltext index of a collection, whatever its status, e.g. to drop them with it. */
export function fulltextIndexesOf(attributes: readonly StoredAttribute[], indexes: readonly StoredIndex[]): FulltextIndex[] {
  return indexes.filter((index) => index.type === 'fulltext').map((index) => fulltextIndexFor(index, attributes));
}
