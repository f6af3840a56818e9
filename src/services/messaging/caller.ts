import type { UserRow } from '../../data/tables.js';

/** What the messaging logic needs to know of the caller. */
export interface MessagingCaller {
  isKey: boolean;
  roles: readonly string[];
  user?: UserRow;
}
