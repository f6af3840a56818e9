import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/capabilities.js';

/** A schema change, applied once per store in list order. Never edit one that has shipped. */
export interface Migration {
  readonly name: string;
  up(db: Kysely<any>, dialect: DialectCapabilities): Promise<void>;
}
