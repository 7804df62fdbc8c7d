import { and, asc, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeUser, makeWorkspace } from '../../test/support/factories.ts';
import { messages, recurringTickets, ticketEvents, tickets } from '../db/schema/index.ts';
import { createField } from '../fields/field-service.ts';
import { fixedClock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import { createLogger } from '../platform/logger.ts';
import { createInlineQueue } from '../platform/queue/inline-queue.ts';
import { createTeam } from '../teams/team-service.ts';
import { updateMember } from '../users/user-service.ts';
import { openDueOccurrence, scanOverdueOccurrences } from './recurring-jobs.ts';
import {
  createRecurringTicket,
  RECURRING_JOB,
  type RecurringInput,
  updateRecurringTicket,
} from './recurring-service.ts';

const logger = createLogger('silent');
const at = (iso: string) => new Date(iso);

describeEachDatabase('recurring tickets firing', (kind: DatabaseKind) => {
  let database: Database;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
  });

  /** A fresh workspace, a clock at `start`, and an inline queue working the occurrence jobs. */
  async function world(start: string) {
    const { workspace, admin } = await makeWorkspace(database.db);
    const clock = fixedClock(at(start));
    const queue = createInlineQueue(clock);
    const deps = { db: database.db, clock, queue, logger };
    await queue.work(RECURRING_JOB, async (job) => {
      await openDueOccurrence(deps, job);
    });
    const create = (input: Partial<RecurringInput> = {}) =>
      createRecurringTicket(
        database.db,
        queue,
        admin.actor,
        {
          name: 'Daily check',
          customer: { email: `ops-${workspace.id.slice(0, 8)}@example.test`, name: 'Olga Ops' },
          template: { subject: 'Check the backups', body: 'Look at last night’s run.' },
          rule: { frequency: 'daily', time: '09:00', timeZone: 'UTC' },
          ...input,
        },
        clock.now(),
      );
    const opened = () =>
      database.db
        .select()
        .from(tickets)
        .where(eq(tickets.workspaceId, workspace.id))
        .orderBy(asc(tickets.number));
    const row = async (id: string) =>
      (await database.db.select().from(recurringTickets).where(eq(recurringTickets.id, id)))[0]!;
    /** The ticket's history lines saying which recurring ticket opened it. */
    const openedLines = async (ticketId: string) =>
      (
        await database.db
          .select({ changes: ticketEvents.changes })
          .from(ticketEvents)
          .where(and(eq(ticketEvents.ticketId, ticketId), eq(ticketEvents.type, 'recurring.opened')))
      ).map((line) => line.changes);
    return { workspace, admin, clock, queue, deps, create, opened, row, openedLines };
  }

  it('opens Monday’s ticket at 09:00 Berlin with its template, assignee, team and fields, once', async () => {
    // Thursday 20 March 2025; clocks in Berlin go forward on Sunday 30th.
    const w = await world('2025-03-20T12:00:00Z');
    const agent = await makeUser(database.db, w.workspace.id, 'agent');
    const team = await createTeam(database.db, w.admin.actor, { name: 'Operations' });
    await createField(database.db, w.admin.actor, {
      entity: 'ticket',
      key: 'area',
      label: 'Area',
      type: 'text',
    });
    const recurring = await w.create({
      name: 'Weekly server check',
      template: {
        subject: 'Weekly check for {{customer.first_name}}, {{date}}',
        body: 'Hello {{agent.first_name | team}}, please check ticket {{ticket.number}}.',
        priority: 'high',
        tags: ['Ops', 'weekly'],
        customFields: { area: 'servers' },
      },
      assigneeId: agent.id,
      teamId: team.id,
      rule: { frequency: 'weekly', weekdays: [1], time: '09:00', timeZone: 'Europe/Berlin' },
    });
    expect(recurring.nextRunAt).toEqual(at('2025-03-24T08:00:00Z'));
    expect(w.queue.pending()).toEqual([expect.objectContaining({ runAt: at('2025-03-24T08:00:00Z') })]);

    await w.queue.runDue();
    expect(await w.opened()).toEqual([]);

    w.clock.set(at('2025-03-24T08:00:00Z'));
    await w.queue.runDue();
    const [ticket, ...more] = await w.opened();
    expect(more).toEqual([]);
    expect(ticket).toMatchObject({
      subject: 'Weekly check for Olga, 2025-03-24',
      channel: 'api',
      priority: 'high',
      status: 'open',
      tags: ['ops', 'weekly'],
      customFields: { area: 'servers' },
      assigneeId: agent.id,
      teamId: team.id,
      customerId: recurring.customerId,
    });
    const [message] = await database.db.select().from(messages).where(eq(messages.ticketId, ticket!.id));
    // The ticket's own placeholders have nothing to say before it exists: left as written.
    expect(message!.bodyText).toBe(
      `Hello ${agent.name.split(' ')[0]}, please check ticket {{ticket.number}}.`,
    );
    expect(message!.channelMeta).toEqual({
      automation: { kind: 'recurring_ticket', recurringTicketId: recurring.id },
    });
    expect(await w.openedLines(ticket!.id)).toEqual([
      {
        recurringTicket: { id: recurring.id, name: 'Weekly server check' },
        occurrence: '2025-03-24T08:00:00.000Z',
      },
    ]);

    // The next one is 09:00 summer time, already queued; running this occurrence's job again does nothing.
    const after = await w.row(recurring.id);
    expect(after).toMatchObject({
      lastRunAt: at('2025-03-24T08:00:00Z'),
      nextRunAt: at('2025-03-31T07:00:00Z'),
    });
    expect(w.queue.pending()).toEqual([expect.objectContaining({ runAt: at('2025-03-31T07:00:00Z') })]);
    const again = {
      workspaceId: w.workspace.id,
      recurringTicketId: recurring.id,
      runAt: '2025-03-24T08:00:00.000Z',
    };
    expect(await openDueOccurrence(w.deps, again)).toBe('stale');
    expect(await w.opened()).toHaveLength(1);
  });

  it('opens one ticket, not seven, after a week offline', async () => {
    const w = await world('2025-06-02T08:00:00Z');
    const recurring = await w.create();
    w.clock.set(at('2025-06-09T10:30:00Z'));
    await w.queue.runDue();
    expect(await w.opened()).toHaveLength(1);
    expect(await w.row(recurring.id)).toMatchObject({
      lastRunAt: at('2025-06-02T09:00:00Z'),
      nextRunAt: at('2025-06-10T09:00:00Z'),
    });
  });

  it('opens an occurrence once when two nodes and the scan all reach for it', async () => {
    const w = await world('2025-06-02T08:00:00Z');
    const recurring = await w.create();
    w.clock.set(at('2025-06-02T09:30:00Z'));
    const job = {
      workspaceId: w.workspace.id,
      recurringTicketId: recurring.id,
      runAt: '2025-06-02T09:00:00.000Z',
    };
    const outcomes = await Promise.all([
      openDueOccurrence(w.deps, job),
      openDueOccurrence(w.deps, job),
      scanOverdueOccurrences(w.deps, { workspaceId: w.workspace.id }),
    ]);
    expect(outcomes.filter((o) => o === 'opened' || o === 1)).toHaveLength(1);
    await w.queue.runDue();
    expect(await w.opened()).toHaveLength(1);
  });

  it('picks up an overdue occurrence whose job went missing', async () => {
    const w = await world('2025-06-02T08:00:00Z');
    const recurring = await w.create();
    w.clock.set(at('2025-06-02T09:02:00Z'));
    // Within the grace period the job is left to do it.
    expect(await scanOverdueOccurrences(w.deps, { workspaceId: w.workspace.id })).toBe(0);
    w.clock.set(at('2025-06-02T09:20:00Z'));
    expect(await scanOverdueOccurrences(w.deps, { workspaceId: w.workspace.id })).toBe(1);
    await w.queue.runDue();
    expect(await w.opened()).toHaveLength(1);
    expect((await w.row(recurring.id)).nextRunAt).toEqual(at('2025-06-03T09:00:00Z'));
  });

  it('leaves out an assignee who left, and opens nothing but says why once a field became required', async () => {
    const w = await world('2025-06-02T08:00:00Z');
    const agent = await makeUser(database.db, w.workspace.id, 'agent');
    const recurring = await w.create({ assigneeId: agent.id });
    await updateMember(database.db, w.admin.actor, agent.id, { disabled: true });
    w.clock.set(at('2025-06-02T09:00:00Z'));
    await w.queue.runDue();
    const [ticket] = await w.opened();
    expect(ticket).toMatchObject({ assigneeId: null, status: 'new' });
    expect(await w.openedLines(ticket!.id)).toEqual([expect.objectContaining({ assigneeLeftOut: agent.id })]);

    await createField(database.db, w.admin.actor, {
      entity: 'ticket',
      key: 'contract',
      label: 'Contract',
      type: 'text',
      required: true,
    });
    w.clock.set(at('2025-06-03T09:00:00Z'));
    await w.queue.runDue();
    expect(await w.opened()).toHaveLength(1);
    expect(w.queue.failed()).toEqual([]);
    expect(await w.row(recurring.id)).toMatchObject({
      lastRunAt: at('2025-06-03T09:00:00Z'),
      lastError: 'Required fields are missing',
      nextRunAt: at('2025-06-04T09:00:00Z'),
    });
    // Any other change must fix the template first; pausing it always works.
    const update = (patch: Parameters<typeof updateRecurringTicket>[4]) =>
      updateRecurringTicket(database.db, w.queue, w.admin.actor, recurring.id, patch, w.clock.now());
    await expect(update({ name: 'Renamed' })).rejects.toMatchObject({ code: 'validation_failed' });
    expect(await update({ active: false })).toMatchObject({ active: false, name: 'Daily check' });
  });

  it('skips what falls due while paused, and plans from now when switched back on', async () => {
    const w = await world('2025-06-02T08:00:00Z');
    const recurring = await w.create();
    const update = (patch: Parameters<typeof updateRecurringTicket>[4]) =>
      updateRecurringTicket(database.db, w.queue, w.admin.actor, recurring.id, patch, w.clock.now());
    await update({ active: false });
    w.clock.set(at('2025-06-04T12:00:00Z'));
    await w.queue.runDue();
    expect(await w.opened()).toEqual([]);
    expect((await update({ active: true })).nextRunAt).toEqual(at('2025-06-05T09:00:00Z'));
    // A new rule replaces the planned occurrence; the job of the old one finds it gone.
    const moved = await update({
      rule: { frequency: 'monthly', dayOfMonth: 'last', time: '17:30', timeZone: 'UTC' },
    });
    expect(moved.nextRunAt).toEqual(at('2025-06-30T17:30:00Z'));
    w.clock.set(at('2025-06-05T09:00:00Z'));
    await w.queue.runDue();
    expect(await w.opened()).toEqual([]);
    w.clock.set(at('2025-06-30T17:30:00Z'));
    await w.queue.runDue();
    expect(await w.opened()).toHaveLength(1);
  });
});
