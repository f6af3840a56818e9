/** A lease this node holds on shared work, and how to renew it. */
export interface RenewableLease {
  /** How long a claim lasts unless renewed (ms); it is renewed every third of this. */
  leaseMs: number;
  /** When the lease first runs out (epoch ms). */
  until: number;
  /** Whether anything is still held; while not, no renewal is tried. */
  held(): boolean;
  /**
   * Moves the lease from `until` (when it runs out now) to `next`: true when it now lasts till
   * `next`, false when another node holds it.
   */
  renew(until: number, next: number): Promise<boolean>;
  /** The lease is lost: taken by another node, or lapsed while renewals failed. */
  lost(reason: 'taken' | 'lapsed'): void;
  onError(error: unknown): void;
}

/**
 * Renews a lease every third of its length until stopped, one renewal at a time, so work that
 * outlasts the lease is not taken over by another node meanwhile. A renewal that fails is
 * reported and tried again; once the lease has run out the work is given up, since another
 * node may have taken it by then. Returns the stop.
 */
export function keepLeaseRenewed(lease: RenewableLease): () => void {
  let until = lease.until;
  let renewing = false;
  const renew = async () => {
    if (renewing || !lease.held()) return;
    renewing = true;
    const next = Date.now() + lease.leaseMs;
    try {
      // Late is fine as long as no one else claimed it meanwhile: the renewal says which.
      if (await lease.renew(until, next)) until = next;
      else lease.lost('taken');
    } catch (error) {
      lease.onError(error);
      if (Date.now() >= until) lease.lost('lapsed');
    } finally {
      renewing = false;
    }
  };
  const timer = setInterval(() => void renew(), Math.max(1, Math.floor(lease.leaseMs / 3)));
  timer.unref();
  return () => clearInterval(timer);
}
