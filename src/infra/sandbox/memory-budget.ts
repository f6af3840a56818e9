/** What the memory budget knows of one warm process. */
export interface BudgetEntry<T> {
  item: T;
  bytes: number;
  busy: boolean;
  lastUsed: number;
}

/**
 * The idle processes to stop, least recently used first, until the total is within the budget.
 * Busy ones are never chosen: the total may stay over the budget while they run.
 */
export function overBudget<T>(entries: Array<BudgetEntry<T>>, budgetBytes: number): T[] {
  let total = entries.reduce((sum, entry) => sum + entry.bytes, 0);
  const chosen: T[] = [];
  const idle = entries.filter((entry) => !entry.busy).sort((a, b) => a.lastUsed - b.lastUsed);
  for (const entry of idle) {
    if (total <= budgetBytes) break;
    chosen.push(entry.item);
    total -= entry.bytes;
  }
  return chosen;
}
