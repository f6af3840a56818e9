import assert from 'node:assert/strict';
import { it } from 'node:test';
import { keepLeaseRenewed, type RenewableLease } from './lease-renewal.js';

/** A lease renewed every 3 ms whose renewals `answer` decides; resolves with how it was lost. */
function renewUntilLost(answer: (call: number, until: number, next: number) => Promise<boolean>, until = Date.now() + 9) {
  const calls: Array<{ until: number; next: number }> = [];
  const errors: unknown[] = [];
  let held = true;
  let stop = () => {};
  // The renewal timer does not hold the process open: this does, until the lease is lost.
  const alive = setInterval(() => {}, 60_000);
  const lost = new Promise<'taken' | 'lapsed'>((resolve) => {
    const lease: RenewableLease = {
      leaseMs: 9,
      until,
      held: () => held,
      renew: (from, next) => {
        calls.push({ until: from, next });
        return answer(calls.length, from, next);
      },
      lost: (reason) => {
        held = false;
        stop();
        clearInterval(alive);
        resolve(reason);
      },
      onError: (error) => errors.push(error),
    };
    stop = keepLeaseRenewed(lease);
  });
  return { lost, calls, errors };
}

it('renews from the lease it last won until another node holds it', async () => {
  const { lost, calls } = renewUntilLost(async (call) => call < 3);
  assert.equal(await lost, 'taken');
  assert.equal(calls.length, 3);
  // Each renewal moves the lease from where the one before left it.
  assert.equal(calls[1]!.until, calls[0]!.next);
  assert.equal(calls[2]!.until, calls[1]!.next);
});

it('gives the lease up once it has run out while renewals fail, reporting each failure', async () => {
  const { lost, calls, errors } = renewUntilLost(async () => Promise.reject(new Error('store unreachable')));
  assert.equal(await lost, 'lapsed');
  assert.ok(errors.length >= 1);
  assert.equal(errors.length, calls.length);
  // Failed renewals never move the lease on.
  assert.ok(calls.every((call) => call.until === calls[0]!.until));
});
