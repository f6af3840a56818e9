/** Undo steps run last-in first-out, once, even if one of them fails. */
export interface Cleanup {
  defer(step: () => Promise<void> | void): void;
  run(): Promise<void>;
}

export function createCleanup(): Cleanup {
  const steps: Array<() => Promise<void> | void> = [];
  let running: Promise<void> | undefined;
  return {
    defer(step) {
      steps.push(step);
    },
    run() {
      running ??= (async () => {
        for (let step = steps.pop(); step; step = steps.pop()) {
          try {
            await step();
          } catch (error) {
            process.stderr.write(`cleanup step failed: ${(error as Error).message}\n`);
          }
        }
      })();
      return running;
    },
  };
}

/** Ctrl-C or a kill of the bench must still stop the servers it started. */
export function cleanupOnSignals(cleanup: Cleanup): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping child processes\n`);
      void cleanup.run().finally(() => process.exit(130));
    });
  }
}
