import { setTimeout as delay } from 'node:timers/promises';
import { outsideStatementTally } from '../core/statement-tally.js';
import { claimOutbox, removeOutbox } from '../data/outbox/event-outbox.js';
import { listOutboxProjects, markOutboxProject } from '../data/outbox/outbox-projects.js';
import type { PlinthEvent } from '../infra/events/event-bus.js';
import type { EventOutbox, ServiceDeps } from '../services/deps.js';
import { openOutboxEvent } from '../services/event-outbox.js';
import { holdOutboxClaim } from './outbox-claim.js';

/** Something that must see every event once it committed: function triggers, webhooks. */
export type OutboxConsumer = (event: PlinthEvent) => Promise<void>;

export interface OutboxDispatcherOptions {
  /** How long a claim on entries lasts unless renewed (every third of it, while they are handed on); past it another node takes them over. */
  leaseMs?: number;
  /** How often every project's outbox is read for entries no bus message announced (a crashed node's). */
  sweepMs?: number;
  onError: (error: unknown) => void;
}

const BATCH = 100;
/** How long a drain waits for more entries before its first claim: a few, under a burst of writes. */
const COALESCE_MS = 5;

export interface OutboxDispatcher extends EventOutbox {
  /** Hands on what the outboxes hold now and whatever the bus announces from here on. */
  start(consumers: readonly OutboxConsumer[]): void;
  close(): Promise<void>;
}

/**
 * Hands each outbox entry to every consumer, then removes it. An entry is removed only after
 * its consumers returned, so a crash in between hands it on again after the restart: the
 * consumers make that harmless (an execution's id is derived from its event).
 */
export function createOutboxDispatcher(deps: ServiceDeps, options: OutboxDispatcherOptions): OutboxDispatcher {
  const leaseMs = options.leaseMs ?? 60_000;
  const sweepMs = options.sweepMs ?? 5_000;
  const marked = new Set<string>();
  /** Projects being drained, and whether more was announced meanwhile. */
  const draining = new Map<string, { again: boolean }>();
  const running = new Set<Promise<void>>();
  let consumers: readonly OutboxConsumer[] = [];
  let closed = false;
  let stopBus = () => {};
  let sweepTimer: NodeJS.Timeout | undefined;

  /** Hands on what the outbox holds now; true when a full batch suggests more is waiting. */
  async function drainOnce(projectId: string): Promise<boolean> {
    const store = deps.db.project(projectId);
    const now = Date.now();
    const entries = await claimOutbox(store, now, now + leaseMs, BATCH);
    if (entries.length === 0) return false;
    const claim = holdOutboxClaim(store, entries.map((entry) => entry.seq), now + leaseMs, leaseMs, options.onError);
    const handed: number[] = [];
    try {
      for (const entry of entries) {
        if (closed) break;
        if (!claim.holds(entry.seq)) continue;
        const event = openOutboxEvent(deps, entry.event);
        for (const consumer of consumers) {
          try {
            await consumer(event);
          } catch (error) {
            options.onError(error);
          }
        }
        handed.push(entry.seq);
      }
      // One delete for the batch: each write is a commit of its own (on SQLite the commits, not
      // the statements, cost). An entry handed on stays leased until then, so a crash in between
      // hands it on again, as one between a consumer and a delete of its own would.
      await removeOutbox(store, handed);
    } finally {
      for (const seq of handed) claim.done(seq);
      claim.stop();
    }
    return entries.length === BATCH;
  }

  function drain(projectId: string): void {
    if (closed) return;
    const current = draining.get(projectId);
    if (current) {
      current.again = true;
      return;
    }
    const state = { again: false };
    draining.set(projectId, state);
    // Set off by a request's event, but none of that request's round trips.
    const run = outsideStatementTally(async () => {
      try {
        // Entries committed meanwhile (announced while this drain waits or runs) join its next
        // claim, so a burst of writes is handed on in a few batches instead of one by one.
        await delay(COALESCE_MS);
        let full = true;
        while ((full || state.again) && !closed) {
          state.again = false;
          full = await drainOnce(projectId);
        }
      } catch (error) {
        if (!closed) options.onError(error);
      } finally {
        draining.delete(projectId);
      }
    });
    running.add(run);
    void run.finally(() => running.delete(run));
  }

  async function sweep(): Promise<void> {
    try {
      for (const projectId of await listOutboxProjects(deps.db.platform)) drain(projectId);
    } catch (error) {
      if (!closed) options.onError(error);
    }
  }

  return {
    async prepare(projectId) {
      if (marked.has(projectId)) return;
      await markOutboxProject(deps.db.platform, projectId);
      marked.add(projectId);
    },
    start(list) {
      consumers = list;
      // Every event on the bus follows its outbox entry: the bus says where to look.
      stopBus = deps.events.subscribe((event) => drain(event.projectId));
      void sweep();
      sweepTimer = setInterval(() => void sweep(), sweepMs);
      sweepTimer.unref();
    },
    async close() {
      closed = true;
      stopBus();
      if (sweepTimer) clearInterval(sweepTimer);
      await Promise.allSettled([...running]);
    },
  };
}
