import type { Database } from '../data/database.js';
import { readAccessVersion } from '../data/platform/access-version.js';
import { findProjectAccess, type ProjectAccess } from '../data/platform/project-access.js';

/** The tables whose rows a cached project access is made of. */
const ACCESS_TABLES = new Set(['projects', 'keys', 'project_settings']);
/** How often a node reads the access counter. */
const POLL_MS = 250;
/**
 * How long after a poll started its entries are still trusted: a change committed before a
 * poll started is seen by that poll, so no node answers from a row older than this (plus the
 * counter's read) once it changed. Kept under a second, the promise made for deleted keys.
 */
const TRUST_MS = 750;
/** Projects × presented keys one node keeps; past it the cache starts again. */
const MAX_ENTRIES = 10_000;

/** A channel to the other nodes of the deployment (Redis pub/sub), told when this node changed access. */
export interface AccessPeers {
  publish(message: string): Promise<void>;
  close(): Promise<void>;
}

/** Opens the channel; `onChange` runs when another node announces a change. */
export type OpenAccessPeers = (onChange: () => void) => AccessPeers;

const CHANGED = 'access';

/** What each request reads of its project, cached on this node. */
export interface ProjectAccessCache {
  find(projectId: string, keySecretHash: string | undefined): Promise<ProjectAccess | undefined>;
  close(): Promise<void>;
}

/**
 * The project, its switches and the presented key, kept per node so that a request costs no
 * round trip for them. Every write to those tables moves a counter in its own transaction
 * (whoever writes: any node, a job, the CLI); each node reads the counter every 250 ms and
 * forgets everything when it moved, and answers from the store itself whenever its last
 * successful poll is older than 750 ms (a stalled event loop, an unreachable database). This
 * process's own writes are forgotten as they are sent. A key's expiry is checked on every
 * request against the clock, so an expired key stops at its expiry, cached or not.
 *
 * With `openPeers` (Redis), a node that writes those tables tells the others, which forget at
 * once instead of at their next poll. The poll stays: it sees writers that are not on the
 * channel (a command run without Redis) and announcements lost while Redis was away, and a
 * write announced before its transaction committed.
 */
export function createProjectAccessCache(db: Database, openPeers?: OpenAccessPeers): ProjectAccessCache {
  const entries = new Map<string, Promise<ProjectAccess | undefined>>();
  let version: number | undefined;
  let trustedUntil = 0;
  let polling = false;
  let timer: NodeJS.Timeout | undefined;
  let stopWatching: (() => void) | undefined;
  let peers: AccessPeers | undefined;
  let announcing = false;

  const forget = () => entries.clear();

  /** One announcement per turn of the event loop, however many statements wrote. */
  function announce(): void {
    if (!peers || announcing) return;
    announcing = true;
    setImmediate(() => {
      announcing = false;
      void peers?.publish(CHANGED);
    });
  }

  async function poll(): Promise<void> {
    if (polling) return;
    polling = true;
    const startedAt = Date.now();
    try {
      const current = await readAccessVersion(db.platform);
      if (current !== version) {
        version = current;
        forget();
      }
      trustedUntil = startedAt + TRUST_MS;
    } catch {
      // Unknown whether anything changed: read the store itself until a poll succeeds.
      forget();
      trustedUntil = 0;
    } finally {
      polling = false;
    }
  }

  /** Polls only in processes that answer requests, from the first one on. */
  function start(): void {
    if (timer) return;
    peers = openPeers?.(forget);
    stopWatching = db.platformWrites.listen((table) => {
      if (!ACCESS_TABLES.has(table)) return;
      forget();
      announce();
    });
    timer = setInterval(() => void poll(), POLL_MS);
    timer.unref();
    void poll();
  }

  return {
    find(projectId, keySecretHash) {
      start();
      if (Date.now() >= trustedUntil) return findProjectAccess(db.platform, projectId, keySecretHash);
      const name = keySecretHash === undefined ? projectId : `${projectId}\n${keySecretHash}`;
      let entry = entries.get(name);
      if (!entry) {
        if (entries.size >= MAX_ENTRIES) forget();
        const loading = findProjectAccess(db.platform, projectId, keySecretHash);
        entries.set(name, loading);
        // A project that does not exist is not remembered: one created by another process
        // answers at once, and made-up ids cannot fill the cache.
        loading.then(
          (access) => {
            if (access === undefined && entries.get(name) === loading) entries.delete(name);
          },
          () => {
            if (entries.get(name) === loading) entries.delete(name);
          },
        );
        entry = loading;
      }
      return entry;
    },
    async close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      stopWatching?.();
      forget();
      const closing = peers;
      peers = undefined;
      await closing?.close();
    },
  };
}
