/**
 * A write hit a unique key: the id, or another unique column, is taken. Each dialect's driver
 * throws it in place of its own error (see dialects/duplicate-errors.ts), so every store
 * reports a duplicate the same way whichever engine is underneath.
 */
export class DuplicateRowError extends Error {
  constructor(cause: unknown) {
    super('a row with this key exists already', { cause });
    this.name = 'DuplicateRowError';
  }
}

export function isDuplicate(error: unknown): error is DuplicateRowError {
  return error instanceof DuplicateRowError;
}

/**
 * Runs a write (an insert, or a whole transaction), answering 'exists' when it hit a unique
 * key. The database decides, so two racing creates give one row and one 'exists'.
 */
export async function uniqueOrExists<T>(write: () => Promise<T>): Promise<T | 'exists'> {
  try {
    return await write();
  } catch (error) {
    if (isDuplicate(error)) return 'exists';
    throw error;
  }
}

/**
 * Runs a whole transaction once more when a unique key raced it: a check-then-insert inside a
 * larger transaction cannot go on after the key error (PostgreSQL aborts the transaction), so
 * the second run's check sees the racing row and answers the conflict instead.
 */
export async function againIfDuplicate<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isDuplicate(error)) throw error;
    return write();
  }
}
