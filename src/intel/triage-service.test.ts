import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket } from '../../test/support/factories.ts';
import { signedInTeam } from '../../test/support/http.ts';
import { makeLabelledHistory, triageExamples, triageTestApp } from '../../test/support/triage-history.ts';
import { intelTriageFeedback, ticketEvents } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Database } from '../platform/db/database.ts';
import type { Deps } from '../platform/deps.ts';
import type { App } from '../platform/http/server.ts';
import { createOutboxRelay } from '../platform/outbox/relay.ts';
import type { InlineQueue } from '../platform/queue/inline-queue.ts';
import { createTeam } from '../teams/team-service.ts';
import { getTicket } from '../tickets/ticket-queries.ts';
import { ticketTriage } from './triage-jobs.ts';

const examples = triageExamples;

describeEachDatabase('workspace triage', (kind) => {
  let database: Database;
  let deps: Deps & { queue: InlineQueue };
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    ({ deps, app } = await triageTestApp(database));
  });
  afterAll(() => app.close());

  const relay = (workspaceId: string) =>
    createOutboxRelay({ database, handlers: [ticketTriage], logger: deps.logger, workspaceId }).drain();

  /** A workspace whose past tickets carry a "category" select field, and a team for billing. */
  async function labelledWorkspace() {
    const team = await signedInTeam(database);
    const actor: Actor = team.admin.actor;
    await makeLabelledHistory(database.db, actor);
    const finance = await createTeam(database.db, actor, { name: 'Finance' });
    // The labelled history was created with its category: triage has nothing to say about it.
    await relay(team.workspace.id);
    return { ...team, actor, finance };
  }

  const put = (headers: Record<string, string>, payload: Record<string, unknown>) =>
    app.inject({ method: 'PUT', url: '/api/v1/intel/triage/settings', headers, payload });

  it('trains from the labelled tickets, acts above the threshold and proposes below it', async () => {
    const { admin, agent, actor, finance, workspace } = await labelledWorkspace();
    const settings = {
      source: { kind: 'field', key: 'category' },
      threshold: 0.4,
      mapping: { billing: { teamId: finance.id, priority: 'high' } },
    };
    expect((await put(agent.headers, settings)).statusCode).toBe(403);
    const saved = await put(admin.headers, settings);
    expect(saved.statusCode).toBe(200);
    expect(saved.json().settings).toMatchObject({ enabled: true, threshold: 0.4 });
    expect(await deps.queue.runDue()).toBeGreaterThan(0);

    const status = await app.inject({ url: '/api/v1/intel/triage/status', headers: agent.headers });
    expect(status.json().model).toMatchObject({
      version: 1,
      trainedRows: 36,
      labels: ['billing', 'delivery', 'login'],
    });

    const charged = await makeTicket(database.db, actor, {
      subject: 'Double charge',
      message: { body: 'You charged my card twice, please refund one payment' },
    });
    await relay(workspace.id);
    const filed = await getTicket(database.db, actor, charged.id);
    expect(filed.customFields).toEqual({ category: 'billing' });
    expect(filed).toMatchObject({ teamId: finance.id, priority: 'high' });
    const [applied] = await database.db
      .select()
      .from(ticketEvents)
      .where(and(eq(ticketEvents.ticketId, charged.id), eq(ticketEvents.type, 'triage.applied')));
    expect(applied?.changes).toMatchObject({ category: 'billing', teamId: finance.id, priority: 'high' });
    const suggestion = await app.inject({
      url: `/api/v1/intel/tickets/${charged.id}/triage`,
      headers: agent.headers,
    });
    expect(suggestion.json().suggestion).toMatchObject({ category: 'billing', state: 'applied' });
    expect(suggestion.json().suggestion.confidence).toBeGreaterThanOrEqual(0.4);
    expect(
      suggestion
        .json()
        .suggestion.alternatives.map((a: { label: string }) => a.label)
        .sort(),
    ).toEqual(['delivery', 'login']);

    // Nothing is confident enough at 0.999: triage only proposes, and the ticket stays as it was.
    expect((await put(admin.headers, { ...settings, threshold: 0.999 })).statusCode).toBe(200);
    const parcel = await makeTicket(database.db, actor, {
      subject: 'Where is my parcel',
      message: { body: 'Tracking shows no delivery for my order' },
    });
    await relay(workspace.id);
    expect((await getTicket(database.db, actor, parcel.id)).customFields).toEqual({});
    const proposed = await app.inject({
      url: '/api/v1/intel/triage/suggestions?state=proposed',
      headers: agent.headers,
    });
    expect(proposed.json().data).toEqual([
      expect.objectContaining({ ticketId: parcel.id, category: 'delivery', state: 'proposed' }),
    ]);
  }, 120_000);

  it('records accepted and corrected suggestions as feedback and learns the corrections', async () => {
    const { admin, agent, actor, finance, workspace } = await labelledWorkspace();
    await put(admin.headers, {
      source: { kind: 'field', key: 'category' },
      threshold: 0.999,
      mapping: { billing: { teamId: finance.id, priority: 'urgent' } },
    });
    await deps.queue.runDue();
    const tickets = [];
    for (const body of ['My card was billed twice', 'Please delete my account and my data'])
      tickets.push(await makeTicket(database.db, actor, { subject: body, message: { body } }));
    await relay(workspace.id);
    const [billed, account] = tickets;
    const feedback = (ticketId: string, category: string) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/intel/tickets/${ticketId}/triage/feedback`,
        headers: agent.headers,
        payload: { category },
      });

    const accepted = await feedback(billed!.id, 'billing');
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().suggestion).toMatchObject({ state: 'accepted', decidedByUserId: agent.id });
    expect(await getTicket(database.db, actor, billed!.id)).toMatchObject({
      customFields: { category: 'billing' },
      teamId: finance.id,
      priority: 'urgent',
    });

    // "account" is a category the model has never seen: the correction teaches it.
    const corrected = await feedback(account!.id, 'account');
    expect(corrected.json().suggestion).toMatchObject({ state: 'corrected' });
    expect((await getTicket(database.db, actor, account!.id)).customFields).toEqual({ category: 'account' });
    const rows = await database.db
      .select()
      .from(intelTriageFeedback)
      .where(eq(intelTriageFeedback.workspaceId, workspace.id));
    expect(rows.map((row) => [row.predicted === 'account', row.category, row.learnedAt]).sort()).toEqual([
      [false, 'account', null],
      [false, 'billing', null],
    ]);
    const before = await app.inject({ url: '/api/v1/intel/triage/status', headers: agent.headers });
    expect(before.json().pendingCorrections).toBe(2);

    await deps.queue.runDue();
    const after = await app.inject({ url: '/api/v1/intel/triage/status', headers: agent.headers });
    expect(after.json()).toMatchObject({ pendingCorrections: 0 });
    expect(after.json().model.version).toBe(2);
    expect(after.json().model.labels).toContain('account');
    expect(after.json().model.learnedCorrections + after.json().model.trainedRows).toBeGreaterThan(36);
  }, 120_000);

  it('reads categories from a tag group, and refuses what cannot work', async () => {
    const { admin, agent, actor, workspace } = await signedInTeam(database).then((t) => ({
      ...t,
      actor: t.admin.actor,
    }));
    for (const [category, texts] of Object.entries(examples))
      for (const body of texts.slice(0, 6))
        await makeTicket(database.db, actor, {
          subject: body,
          message: { body },
          tags: [`topic:${category}`, 'vip'],
        });
    await relay(workspace.id);
    expect((await put(admin.headers, { source: { kind: 'field', key: 'nope' } })).statusCode).toBe(400);
    expect((await put(admin.headers, { source: { kind: 'tags', prefix: '' } })).statusCode).toBe(400);
    expect(
      (
        await put(admin.headers, {
          source: { kind: 'tags', prefix: 'topic:' },
          mapping: { billing: { teamId: '00000000-0000-4000-8000-000000000000' } },
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (await put(admin.headers, { source: { kind: 'tags', prefix: 'Topic:' }, threshold: 0.34 })).statusCode,
    ).toBe(200);
    await deps.queue.runDue();
    const ticket = await makeTicket(database.db, actor, {
      subject: 'Password reset',
      message: { body: 'I forgot my password and the reset link expired' },
      tags: ['vip'],
    });
    await relay(workspace.id);
    expect((await getTicket(database.db, actor, ticket.id)).tags).toEqual(['topic:login', 'vip']);

    const elsewhere = await signedInTeam(database);
    const foreign = await app.inject({
      method: 'POST',
      url: `/api/v1/intel/tickets/${ticket.id}/triage/feedback`,
      headers: elsewhere.agent.headers,
      payload: { category: 'billing' },
    });
    expect(foreign.statusCode).toBe(404);
    const unknown = await app.inject({
      method: 'POST',
      url: `/api/v1/intel/tickets/${ticket.id}/triage/feedback`,
      headers: agent.headers,
      payload: { category: '' },
    });
    expect(unknown.statusCode).toBe(400);
  }, 120_000);
});
