/** A one-row counter table and the column that counts. */
export interface WriteCounter {
  table: string;
  column: string;
}
