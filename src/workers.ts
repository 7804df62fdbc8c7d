import type { Deps } from './platform/deps.ts';
import type { OutboxHandler } from './platform/outbox/relay.ts';
import { realtimeFanOut } from './platform/realtime/hub.ts';

/** The handlers the outbox relay runs for every committed domain event. */
export function workerHandlers(_deps: Deps): OutboxHandler[] {
  return [realtimeFanOut];
}

/** Background loops of the worker role besides the relay; resolves to a function that stops them. */
export async function startWorkers(_deps: Deps): Promise<() => Promise<void>> {
  return async () => {};
}
