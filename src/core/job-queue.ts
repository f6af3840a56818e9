/** Work done after the response: mails, webhooks, async executions, cascading deletes. */
export interface JobQueue {
  /** This process among those sharing the queue: jobs may prefer it (see `EnqueueOptions.preferredNode`). */
  readonly nodeId: string;
  /** Whether this process runs a worker for the queue. */
  processes(queue: string): boolean;
  /** Persists the job before resolving, so it survives a crash from then on. */
  enqueue(queue: string, payload: unknown, options?: EnqueueOptions): Promise<void>;
  /** Runs `handler` for each job of the queue; a throw schedules a retry with back-off. */
  process(queue: string, handler: JobHandler, options?: ProcessOptions): void;
  /** Jobs waiting to run (or running) in a queue. */
  pendingCount(queue: string): Promise<number>;
  /** Jobs that used up their attempts. */
  failedCount(queue: string): Promise<number>;
  /** Stops taking jobs and waits for the running ones. */
  close(): Promise<void>;
}

export interface EnqueueOptions {
  projectId?: string;
  maxAttempts?: number;
  /** Epoch milliseconds; now by default. */
  runAt?: number;
  /**
   * The node that should take the job (where what it needs is warm). Other nodes take it only once it
   * has waited past the preference window, so a busy or vanished node never holds it up for long.
   */
  preferredNode?: string | undefined;
}

export interface ProcessOptions {
  concurrency?: number;
}

export interface Job {
  id: number;
  queue: string;
  projectId: string | null;
  payload: unknown;
  attempt: number;
  /**
   * Aborted when this worker no longer holds the job (its lease could not be renewed in time,
   * so another worker may run it): a long handler stops at its next safe point and records nothing.
   */
  signal: AbortSignal;
}

export type JobHandler = (job: Job) => Promise<void>;

/** Names of the queues this server runs, as the health endpoints report them. */
export const QUEUE_NAMES = [
  'databases',
  'deletes',
  'audits',
  'mails',
  'functions',
  'stats-resources',
  'stats-usage',
  'webhooks',
  'certificates',
  'builds',
  'screenshots',
  'messaging',
  'migrations',
  'logs',
] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];
