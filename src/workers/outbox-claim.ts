import type { Kysely } from 'kysely';
import { keepLeaseRenewed } from '../core/lease-renewal.js';
import { renewOutboxClaim } from '../data/outbox/event-outbox.js';
import type { ProjectTables } from '../data/tables.js';

/** The entries of one claimed batch this node still holds, its lease renewed while it works. */
export interface OutboxClaim {
  holds(seq: number): boolean;
  /** The entry is handed on and removed: it needs no lease any more. */
  done(seq: number): void;
  stop(): void;
}

/**
 * Renews the batch's lease every third of it, as the job queue renews a running job's, so a
 * batch whose consumers take longer than the lease is not taken over by another node while it
 * is handed on. An entry the renewal no longer finds leased to this node was taken over (this
 * node stalled past its lease): it is skipped here. When the store cannot be reached, the
 * entries are given up once the lease has run out, as another node may have them by then.
 */
export function holdOutboxClaim(
  store: Kysely<ProjectTables>,
  seqs: readonly number[],
  firstUntil: number,
  leaseMs: number,
  onError: (error: unknown) => void,
): OutboxClaim {
  const held = new Set(seqs.map(Number));
  const stop = keepLeaseRenewed({
    leaseMs,
    until: firstUntil,
    held: () => held.size > 0,
    renew: async (until, next) => {
      const still = new Set(await renewOutboxClaim(store, [...held], until, next));
      for (const seq of held) if (!still.has(seq)) held.delete(seq);
      // Entries another node took over drop out; those still held now last till `next`.
      return true;
    },
    lost: () => held.clear(),
    onError,
  });
  return {
    holds: (seq) => held.has(Number(seq)),
    done: (seq) => held.delete(Number(seq)),
    stop,
  };
}
