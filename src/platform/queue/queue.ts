import type { Db } from '../db/database.ts';

/**
 * The job queue every capability uses for work that runs later: SLA timers, scheduled rules,
 * follow-ups, recurring tickets. Capabilities name their jobs by merging into `JobTypes`:
 *
 *   declare module '../platform/queue/queue.ts' {
 *     interface JobTypes { 'sla.check': { workspaceId: string; ticketId: string } }
 *   }
 *
 * Jobs run at least once: handlers must be idempotent (check state before acting).
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in each capability.
export interface JobTypes {}

export type JobName = keyof JobTypes & string;

export type SendOptions = {
  /**
   * Send inside this transaction: the job exists only if it commits. The job's name must have been
   * declared (see `declare`) first.
   */
  tx?: Db;
  /** Run no earlier than this moment. */
  startAfter?: Date;
  /** At most one queued job per name and key: a second send with the same key is dropped. */
  singletonKey?: string;
  /** Retries after the first failure (default 5), with exponential backoff. */
  retryLimit?: number;
};

export type JobContext = { id: string; attempt: number };

export type JobHandler<N extends JobName> = (payload: JobTypes[N], job: JobContext) => Promise<void>;

/** A job as admins see it; `pending` covers jobs waiting to run or waiting to retry. */
export type JobSummary = {
  id: string;
  name: string;
  state: 'pending' | 'active' | 'completed' | 'failed' | 'cancelled';
  payload: unknown;
  /** Runs so far that failed and were retried. */
  retries: number;
  runAt: Date;
  createdAt: Date;
  /** The last failure's message, for failed jobs and jobs waiting to retry. */
  error: string | null;
};

export type JobListFilter = { workspaceId: string; state?: 'pending' | 'failed'; limit?: number };

export interface Queue {
  /** Enqueues a job; resolves to its id, or null when a singleton with the same key is already queued. */
  send<N extends JobName>(name: N, payload: JobTypes[N], options?: SendOptions): Promise<string | null>;
  /** Makes these job names ready to be sent inside transactions; every node calls it at startup. */
  declare(names: JobName[]): Promise<void>;
  /** Registers the handler for a job name (worker role only). */
  work<N extends JobName>(name: N, handler: JobHandler<N>): Promise<void>;
  /** Runs `name` on a cron rule (5 fields, in the given IANA time zone) with a fixed payload. */
  schedule<N extends JobName>(
    name: N,
    cron: string,
    payload: JobTypes[N],
    options?: { tz?: string; key?: string },
  ): Promise<void>;
  unschedule(name: JobName, key?: string): Promise<void>;
  /** Jobs whose payload names this workspace, newest first; completed jobs are left out. */
  list(filter: JobListFilter): Promise<JobSummary[]>;
  /** Runs a failed job of this workspace again; false when no such failed job exists. */
  retry(id: string, workspaceId: string): Promise<boolean>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
