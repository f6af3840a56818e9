/** A document as its table holds it: system columns, then one column per attribute. */
export interface StoredDocument {
  _seq: number;
  _uid: string;
  _created_at: string;
  _updated_at: string;
  _permissions: string;
  [column: string]: unknown;
}
