import type { Deps } from './platform/deps.ts';
import { startMaintenance } from './platform/maintenance.ts';
import type { OutboxHandler } from './platform/outbox/relay.ts';
import { realtimeFanOut } from './platform/realtime/hub.ts';
import { createWebhookDeliveryWorker } from './webhooks/webhook-delivery.ts';
import { webhookFanOut } from './webhooks/webhook-fan-out.ts';

/** The handlers the outbox relay runs for every committed domain event. */
export function workerHandlers(_deps: Deps): OutboxHandler[] {
  return [realtimeFanOut, webhookFanOut];
}

/** Background loops of the worker role besides the relay; resolves to a function that stops them. */
export async function startWorkers(deps: Deps): Promise<() => Promise<void>> {
  const webhooks = createWebhookDeliveryWorker(deps);
  await webhooks.start();
  const stopMaintenance = startMaintenance(deps.db, deps.logger);
  return async () => {
    await stopMaintenance();
    await webhooks.stop();
  };
}
