import type { Clock } from '../clock.ts';
import type { JobHandler, JobName, JobTypes, Queue, SendOptions } from './queue.ts';

type PendingJob = {
  id: string;
  name: JobName;
  payload: unknown;
  runAt: number;
  key?: string;
  attempt: number;
  retryLimit: number;
};

export type InlineQueue = Queue & {
  /** Runs every job whose time has come on the given clock, including jobs those jobs enqueue. */
  runDue(): Promise<number>;
  pending(): ReadonlyArray<{ name: JobName; payload: unknown; runAt: Date }>;
  failed(): ReadonlyArray<{ name: JobName; payload: unknown; error: string }>;
};

/** An in-memory queue driven by the clock, for unit tests: nothing runs until `runDue()` is called. */
export function createInlineQueue(clock: Clock): InlineQueue {
  const jobs: PendingJob[] = [];
  const failures: { name: JobName; payload: unknown; error: string }[] = [];
  const handlers = new Map<JobName, JobHandler<never>>();
  let nextId = 1;

  return {
    async send<N extends JobName>(name: N, payload: JobTypes[N], options: SendOptions = {}) {
      if (options.singletonKey && jobs.some((job) => job.name === name && job.key === options.singletonKey))
        return null;
      const id = String(nextId++);
      jobs.push({
        id,
        name,
        payload,
        runAt: (options.startAfter ?? clock.now()).getTime(),
        key: options.singletonKey,
        attempt: 0,
        retryLimit: options.retryLimit ?? 5,
      });
      return id;
    },
    async work<N extends JobName>(name: N, handler: JobHandler<N>) {
      handlers.set(name, handler as unknown as JobHandler<never>);
    },
    async schedule() {
      // Cron rules are the durable driver's business; unit tests call the job's handler directly.
    },
    async unschedule() {},
    async start() {},
    async stop() {},
    async runDue() {
      let ran = 0;
      for (;;) {
        const now = clock.now().getTime();
        const index = jobs.findIndex((job) => job.runAt <= now && handlers.has(job.name));
        if (index < 0) return ran;
        const [job] = jobs.splice(index, 1) as [PendingJob];
        const handler = handlers.get(job.name) as JobHandler<JobName>;
        ran++;
        try {
          await handler(job.payload as never, { id: job.id, attempt: job.attempt });
        } catch (error) {
          if (job.attempt < job.retryLimit)
            jobs.push({ ...job, attempt: job.attempt + 1, runAt: now + 2 ** job.attempt * 1000 });
          else failures.push({ name: job.name, payload: job.payload, error: String(error) });
        }
      }
    },
    pending: () => jobs.map((job) => ({ name: job.name, payload: job.payload, runAt: new Date(job.runAt) })),
    failed: () => failures,
  };
}
