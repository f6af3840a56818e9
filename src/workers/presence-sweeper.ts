import type { ServiceDeps } from '../services/deps.js';
import { sweepExpiredPresences } from '../services/presences/index.js';

export interface PresenceSweeperOptions {
  /** How often expired presences are looked for. */
  everyMs: number;
  /** The projects that may hold presences: those that ever published an event. */
  projects: () => Promise<readonly string[]>;
  onError: (error: unknown) => void;
}

/**
 * Ends expired presences on a timer, each with its delete event. A node that dies stops
 * keeping its connections' presences alive; they lapse, and a surviving node ends them here
 * without waiting for the project's next presence write or list. Nodes sweeping at once end
 * each presence once: the delete is conditional.
 */
export function startPresenceSweeper(deps: ServiceDeps, options: PresenceSweeperOptions): { close(): Promise<void> } {
  let closed = false;
  let running: Promise<void> = Promise.resolve();
  const sweep = async () => {
    try {
      for (const projectId of await options.projects()) {
        if (closed) return;
        await sweepExpiredPresences(deps, projectId);
      }
    } catch (error) {
      if (!closed) options.onError(error);
    }
  };
  const timer = setInterval(() => {
    // One sweep at a time: a slow one is not overlapped by the next.
    running = running.then(sweep);
  }, options.everyMs);
  timer.unref();
  return {
    async close() {
      closed = true;
      clearInterval(timer);
      await running;
    },
  };
}
