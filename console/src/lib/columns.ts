import type { Models } from '@appwrite.io/console';

/** A column as the API returns it: the fields of every type, each optional. */
export interface Column {
  key: string;
  type: string;
  status: string;
  error?: string;
  required: boolean;
  array?: boolean;
  size?: number;
  min?: number;
  max?: number;
  format?: string;
  elements?: string[];
  encrypt?: boolean;
  default?: unknown;
  relatedTable?: string;
  relationType?: string;
  twoWay?: boolean;
  twoWayKey?: string;
  onDelete?: string;
  side?: string;
}

export function columnsOf(table: Models.Table): Column[] {
  return table.columns as unknown as Column[];
}

/** The types a new column can have: the route name (`/columns/<route>`) and what the form asks for. */
export interface ColumnKind {
  route: string;
  label: string;
  size?: boolean;
  range?: boolean;
  elements?: boolean;
  encrypt?: boolean;
  /** Spatial and relationship columns hold no scalar default and no arrays. */
  scalar: boolean;
}

export const COLUMN_KINDS: ColumnKind[] = [
  { route: 'varchar', label: 'Varchar', size: true, encrypt: true, scalar: true },
  { route: 'string', label: 'String (legacy)', size: true, encrypt: true, scalar: true },
  { route: 'text', label: 'Text', encrypt: true, scalar: true },
  { route: 'mediumtext', label: 'Medium text', encrypt: true, scalar: true },
  { route: 'longtext', label: 'Long text', encrypt: true, scalar: true },
  { route: 'integer', label: 'Integer', range: true, scalar: true },
  { route: 'bigint', label: 'Big integer', range: true, scalar: true },
  { route: 'float', label: 'Float', range: true, scalar: true },
  { route: 'boolean', label: 'Boolean', scalar: true },
  { route: 'datetime', label: 'Date and time', scalar: true },
  { route: 'email', label: 'Email', scalar: true },
  { route: 'url', label: 'URL', scalar: true },
  { route: 'ip', label: 'IP address', scalar: true },
  { route: 'enum', label: 'Enum', elements: true, scalar: true },
  { route: 'point', label: 'Point', scalar: false },
  { route: 'line', label: 'Line', scalar: false },
  { route: 'polygon', label: 'Polygon', scalar: false },
  { route: 'relationship', label: 'Relationship', scalar: false },
];

/** What the grid and the lists call a column's type: its format when it has one (email, enum…). */
export function describeType(column: Column): string {
  if (column.type === 'relationship') return `relationship (${column.relationType ?? ''} → ${column.relatedTable ?? ''})`;
  if (column.format === 'enum') return `enum (${(column.elements ?? []).join(', ')})${column.array ? '[]' : ''}`;
  const name = column.type === 'string' && column.format ? column.format : column.type === 'double' ? 'float' : column.type;
  const size = column.size !== undefined && (column.type === 'string' || column.type === 'varchar') ? `(${column.size})` : '';
  return `${name}${size}${column.array ? '[]' : ''}`;
}

/** How the row form edits a column's value. */
export type InputKind = 'text' | 'long-text' | 'email' | 'url' | 'integer' | 'float' | 'boolean' | 'datetime' | 'enum' | 'json';

export function inputKind(column: Column): InputKind {
  if (column.array || column.type === 'relationship' || ['point', 'line', 'polygon'].includes(column.type)) return 'json';
  if (column.type === 'integer' || column.type === 'bigint') return 'integer';
  if (column.type === 'double') return 'float';
  if (column.type === 'boolean') return 'boolean';
  if (column.type === 'datetime') return 'datetime';
  if (column.format === 'enum') return 'enum';
  if (column.format === 'email') return 'email';
  if (column.format === 'url') return 'url';
  if (['text', 'mediumtext', 'longtext'].includes(column.type) || (column.size ?? 0) > 255) return 'long-text';
  return 'text';
}

/** A value as the form's input holds it: always a string, empty for null. */
export function toInput(column: Column, value: unknown): string {
  if (value === null || value === undefined) return '';
  const kind = inputKind(column);
  if (kind === 'json') return JSON.stringify(value, null, 2);
  if (kind === 'datetime') {
    // datetime-local shows local time without a zone.
    const date = new Date(String(value));
    const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
    return local.toISOString().slice(0, 23);
  }
  return String(value);
}

/** The input's string as the API wants it; an empty input is null. Throws on a value it cannot read. */
export function fromInput(column: Column, text: string): unknown {
  if (text.trim() === '') return null;
  switch (inputKind(column)) {
    case 'json':
      try {
        return JSON.parse(text);
      } catch {
        throw new Error(`${column.key}: not valid JSON`);
      }
    case 'integer':
    case 'float': {
      const number = Number(text);
      if (!Number.isFinite(number)) throw new Error(`${column.key}: not a number`);
      return number;
    }
    case 'boolean':
      return text === 'true';
    case 'datetime':
      return new Date(text).toISOString();
    default:
      return text;
  }
}

/** A cell of the grid: short text, whatever the value. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
