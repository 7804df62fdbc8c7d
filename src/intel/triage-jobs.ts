import type { Deps } from '../platform/deps.ts';
import type { OutboxHandler } from '../platform/outbox/relay.ts';
import { triageTicket } from './triage-service.ts';
import { learnCorrections, trainFull } from './triage-training.ts';

/** Predicts the category of every new ticket as it is committed, whichever channel it came by. */
export const ticketTriage: OutboxHandler = {
  name: 'intel.triage',
  handles: (type) => type === 'ticket.created',
  async handle(tx, event) {
    const id = (event.payload.ticket as { id?: unknown } | undefined)?.id;
    if (typeof id === 'string') await triageTicket(tx, event.workspaceId, id);
  },
};

/** Worker-role registration: the durable training job (full, or the agents' corrections). */
export async function startTriageJobs(deps: Deps): Promise<void> {
  await deps.queue.declare(['intel.triage.train']);
  await deps.queue.work('intel.triage.train', async (job) => {
    const result =
      job.mode === 'full'
        ? await trainFull(deps.db, job.workspaceId)
        : await learnCorrections(deps.db, job.workspaceId);
    deps.logger.info({ workspaceId: job.workspaceId, mode: job.mode, ...result }, 'triage training');
  });
}
