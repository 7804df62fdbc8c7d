import { beforeAll, expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket } from '../../test/support/factories.ts';
import { fixedClock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import { createLogger } from '../platform/logger.ts';
import { createOutboxRelay } from '../platform/outbox/relay.ts';
import { createInlineQueue } from '../platform/queue/inline-queue.ts';
import { addMessage } from '../tickets/message-service.ts';
import { createPolicy } from './sla-admin-service.ts';
import { slaEngine } from './sla-engine.ts';
import { runSlaCheck } from './sla-jobs.ts';
import { triggerEngine } from './trigger-engine.ts';
import { createTrigger } from './trigger-service.ts';
import { triggerWorld } from './trigger-test-world.ts';

const both = ['ticket.created', 'ticket.updated'];

describeEachDatabase('trigger engine', (kind: DatabaseKind) => {
  let database: Database;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
  });

  const world = () => triggerWorld(database);

  it('runs triggers in order, later ones seeing earlier changes, with an audit line', async () => {
    const w = await world();
    await createTrigger(database.db, w.admin.actor, {
      name: 'Priority for billing',
      position: 2,
      events: both,
      conditions: { all: [{ field: 'tag', op: 'is', value: 'billing' }] },
      actions: [{ type: 'set_priority', value: 'high' }],
    });
    await createTrigger(database.db, w.admin.actor, {
      name: 'Tag refunds',
      position: 1,
      events: ['ticket.created'],
      conditions: {
        any: [
          { field: 'subject', op: 'contains', value: 'REFUND' },
          { field: 'subject', op: 'matches', value: '^money back' },
        ],
      },
      actions: [{ type: 'add_tags', tags: ['billing'] }],
    });
    const refund = await makeTicket(database.db, w.admin.actor, { subject: 'Refund for order 12' });
    const other = await makeTicket(database.db, w.admin.actor, { subject: 'Where is my parcel?' });
    await w.relay.drain();

    expect(await w.ticketNow(refund.id)).toMatchObject({ tags: ['billing'], priority: 'high' });
    expect(await w.audit(refund.id)).toEqual([['Tag refunds', 'Priority for billing']]);
    expect(await w.ticketNow(other.id)).toMatchObject({ tags: [], priority: 'normal' });
    expect(await w.audit(other.id)).toEqual([]);
  });

  it('never lets two triggers undo each other forever', async () => {
    const w = await world();
    await createTrigger(database.db, w.admin.actor, {
      name: 'Low to normal',
      position: 0,
      events: both,
      conditions: { all: [{ field: 'priority', op: 'is', value: 'low' }] },
      actions: [{ type: 'set_priority', value: 'normal' }],
    });
    await createTrigger(database.db, w.admin.actor, {
      name: 'Normal to low',
      position: 1,
      events: both,
      conditions: { all: [{ field: 'priority', op: 'is', value: 'normal' }] },
      actions: [{ type: 'set_priority', value: 'low' }],
    });
    const ticket = await makeTicket(database.db, w.admin.actor);
    await w.relay.drain();
    // created (normal) → "Normal to low" → updated (low) → "Low to normal" → updated (normal): both spent.
    expect(await w.audit(ticket.id)).toEqual([['Normal to low'], ['Low to normal']]);
    expect((await w.ticketNow(ticket.id)).priority).toBe('normal');
  });

  it('matches message text on customer messages', async () => {
    const w = await world();
    await createTrigger(database.db, w.admin.actor, {
      name: 'Angry',
      events: ['message.created'],
      conditions: {
        all: [
          { field: 'messageKind', op: 'is', value: 'customer_message' },
          { field: 'message', op: 'contains', value: 'lawyer' },
        ],
      },
      actions: [
        { type: 'set_priority', value: 'urgent' },
        { type: 'add_tags', tags: ['Escalated Case'] },
      ],
    });
    const ticket = await makeTicket(database.db, w.admin.actor);
    await addMessage(database.db, w.admin.actor, ticket.id, {
      kind: 'public_reply',
      body: 'My lawyer friend says hi',
    });
    await w.relay.drain();
    expect((await w.ticketNow(ticket.id)).priority).toBe('normal');
    await addMessage(database.db, { userId: null, workspaceId: w.workspace.id, role: 'system' }, ticket.id, {
      kind: 'customer_message',
      body: 'I will call my Lawyer',
    });
    await w.relay.drain();
    expect(await w.ticketNow(ticket.id)).toMatchObject({ priority: 'urgent', tags: ['escalated-case'] });
  });

  it('acts on an SLA breach', async () => {
    const w = await world();
    const clock = fixedClock(new Date());
    const queue = createInlineQueue(clock);
    await queue.work('sla.check', (job) => runSlaCheck({ db: database.db, clock, queue }, job));
    const relay = createOutboxRelay({
      database,
      handlers: [slaEngine(queue), triggerEngine],
      logger: createLogger('silent'),
      workspaceId: w.workspace.id,
    });
    await createPolicy(database.db, w.admin.actor, { name: 'All', firstReplyMinutes: 30, warnMinutes: 0 });
    await createTrigger(database.db, w.admin.actor, {
      name: 'Escalate breaches',
      events: ['sla.breached'],
      actions: [
        { type: 'set_priority', value: 'urgent' },
        { type: 'add_tags', tags: ['sla-breached'] },
      ],
    });
    const ticket = await makeTicket(database.db, w.admin.actor);
    await relay.drain();
    clock.set(new Date(Date.now() + 31 * 60_000));
    expect(await queue.runDue()).toBe(1);
    await relay.drain();
    expect(await w.ticketNow(ticket.id)).toMatchObject({ priority: 'urgent', tags: ['sla-breached'] });
    expect(await w.audit(ticket.id)).toEqual([['Escalate breaches']]);
  });
});
