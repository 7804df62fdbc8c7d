import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { JobHandler, JobName, JobSummary, JobTypes, Queue, SendOptions } from './queue.ts';

type InlineJob = {
  id: string;
  name: JobName;
  payload: unknown;
  runAt: number;
  createdAt: number;
  key?: string;
  attempt: number;
  retryLimit: number;
  state: 'pending' | 'failed';
  error: string | null;
};

export type InlineQueue = Queue & {
  /** Runs every job whose time has come on the given clock, including jobs those jobs enqueue. */
  runDue(): Promise<number>;
  pending(): ReadonlyArray<{ name: JobName; payload: unknown; runAt: Date }>;
  failed(): ReadonlyArray<{ name: JobName; payload: unknown; error: string }>;
};

const workspaceOf = (payload: unknown) =>
  payload && typeof payload === 'object' ? (payload as { workspaceId?: unknown }).workspaceId : undefined;

/** An in-memory queue driven by the clock, for unit tests: nothing runs until `runDue()` is called. */
export function createInlineQueue(clock: Clock): InlineQueue {
  const jobs: InlineJob[] = [];
  const handlers = new Map<JobName, JobHandler<never>>();
  const waiting = () => jobs.filter((job) => job.state === 'pending');

  return {
    async send<N extends JobName>(name: N, payload: JobTypes[N], options: SendOptions = {}) {
      const key = options.singletonKey;
      if (key && waiting().some((job) => job.name === name && job.key === key)) return null;
      const id = randomUUID();
      jobs.push({
        id,
        name,
        payload,
        runAt: (options.startAfter ?? clock.now()).getTime(),
        createdAt: clock.now().getTime(),
        key,
        attempt: 0,
        retryLimit: options.retryLimit ?? 5,
        state: 'pending',
        error: null,
      });
      return id;
    },
    async declare() {},
    async work<N extends JobName>(name: N, handler: JobHandler<N>) {
      handlers.set(name, handler as unknown as JobHandler<never>);
    },
    async schedule() {
      // Cron rules are the durable driver's business; unit tests call the job's handler directly.
    },
    async unschedule() {},
    async start() {},
    async stop() {},
    async list(filter) {
      const summaries: JobSummary[] = jobs
        .filter((job) => workspaceOf(job.payload) === filter.workspaceId)
        .filter((job) => !filter.state || job.state === filter.state)
        .map((job) => ({
          id: job.id,
          name: job.name,
          state: job.state,
          payload: job.payload,
          retries: job.attempt,
          runAt: new Date(job.runAt),
          createdAt: new Date(job.createdAt),
          error: job.error,
        }));
      return summaries.reverse().slice(0, filter.limit ?? 100);
    },
    async retry(id, workspaceId) {
      const job = jobs.find((candidate) => candidate.id === id && candidate.state === 'failed');
      if (!job || workspaceOf(job.payload) !== workspaceId) return false;
      Object.assign(job, { state: 'pending', runAt: clock.now().getTime(), retryLimit: job.retryLimit + 1 });
      return true;
    },
    async runDue() {
      let ran = 0;
      for (;;) {
        const now = clock.now().getTime();
        const due = jobs.find((c) => c.state === 'pending' && c.runAt <= now && handlers.has(c.name));
        if (!due) return ran;
        ran++;
        try {
          await (handlers.get(due.name) as JobHandler<JobName>)(due.payload as never, {
            id: due.id,
            attempt: due.attempt,
          });
          jobs.splice(jobs.indexOf(due), 1);
        } catch (error) {
          due.error = error instanceof Error ? error.message : String(error);
          if (due.attempt < due.retryLimit) {
            due.runAt = now + 2 ** due.attempt * 1000;
            due.attempt++;
          } else due.state = 'failed';
        }
      }
    },
    pending: () =>
      waiting().map((job) => ({ name: job.name, payload: job.payload, runAt: new Date(job.runAt) })),
    failed: () =>
      jobs
        .filter((job) => job.state === 'failed')
        .map((job) => ({ name: job.name, payload: job.payload, error: job.error ?? '' })),
  };
}
