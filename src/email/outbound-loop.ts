import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../platform/db/database.ts';

export type WakeableLoop = {
  start(): Promise<void>;
  /** Stops after the round in flight; `stopping()` turns true at once so a long round can end early. */
  stop(): Promise<void>;
  /** Runs a round now instead of at the next poll. */
  wake(): void;
  stopping(): boolean;
};

/**
 * Runs `round` again and again: at once when a NOTIFY arrives on `channel` (or `wake` is called), else
 * every `pollMs` as a fallback for a lost notification. A round that throws is logged and retried.
 */
export function wakeableLoop(options: {
  database: Database;
  channel: string;
  pollMs: number;
  logger: FastifyBaseLogger;
  what: string;
  round: () => Promise<unknown>;
}): WakeableLoop {
  let running = false;
  let stopping = false;
  let woken = false;
  let interrupt: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  let unlisten: (() => Promise<void>) | undefined;

  const pause = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.pollMs);
      interrupt = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      interrupt = undefined;
    });

  async function run() {
    while (running) {
      woken = false;
      try {
        await options.round();
      } catch (error) {
        options.logger.error({ err: error }, `${options.what} failed; retrying`);
      }
      // A wake-up during the round may be for work the round did not see yet: go again at once.
      if (running && !woken) await pause();
    }
  }

  function wake() {
    woken = true;
    interrupt?.();
  }

  return {
    async start() {
      if (running) return;
      running = true;
      stopping = false;
      unlisten = await options.database.listen(options.channel, wake);
      loop = run();
    },
    async stop() {
      running = false;
      stopping = true;
      interrupt?.();
      await loop;
      await unlisten?.();
      unlisten = undefined;
    },
    wake,
    stopping: () => stopping,
  };
}
