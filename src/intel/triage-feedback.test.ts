import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket } from '../../test/support/factories.ts';
import { signedInTeam } from '../../test/support/http.ts';
import { makeLabelledHistory, triageExamples, triageTestApp } from '../../test/support/triage-history.ts';
import { triggerEngine } from '../automation/trigger-engine.ts';
import { intelTriageFeedback } from '../db/schema/index.ts';
import type { Database } from '../platform/db/database.ts';
import type { Deps } from '../platform/deps.ts';
import type { App } from '../platform/http/server.ts';
import { createOutboxRelay } from '../platform/outbox/relay.ts';
import type { InlineQueue } from '../platform/queue/inline-queue.ts';
import { getTicket } from '../tickets/ticket-queries.ts';
import { ticketTriage, triageEdits } from './triage-jobs.ts';

describeEachDatabase('triage verdicts and intent', (kind) => {
  let database: Database;
  let deps: Deps & { queue: InlineQueue };
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    ({ deps, app } = await triageTestApp(database));
  });
  afterAll(() => app.close());

  const relay = (workspaceId: string) =>
    createOutboxRelay({
      database,
      handlers: [ticketTriage, triageEdits(deps.queue), triggerEngine],
      logger: deps.logger,
      workspaceId,
    }).drain();

  /** A workspace with triage trained on its "category" field, acting at `threshold`. */
  async function trainedWorkspace(threshold: number) {
    const team = await signedInTeam(database);
    await makeLabelledHistory(database.db, team.admin.actor);
    await relay(team.workspace.id);
    const saved = await app.inject({
      method: 'PUT',
      url: '/api/v1/intel/triage/settings',
      headers: team.admin.headers,
      payload: { source: { kind: 'field', key: 'category' }, threshold },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    await deps.queue.runDue();
    const ticket = (body: string) =>
      makeTicket(database.db, team.admin.actor, { subject: body, message: { body } });
    const feedback = async () =>
      (
        await database.db
          .select()
          .from(intelTriageFeedback)
          .where(eq(intelTriageFeedback.workspaceId, team.workspace.id))
      ).map((row) => ({ predicted: row.predicted, category: row.category, userId: row.userId }));
    const suggestion = async (ticketId: string) =>
      (
        await app.inject({ url: `/api/v1/intel/tickets/${ticketId}/triage`, headers: team.agent.headers })
      ).json().suggestion;
    return { ...team, ticket, feedback, suggestion };
  }

  it('lets triggers act on the intent triage found, proposed or an agent decided', async () => {
    const w = await trainedWorkspace(0.4);
    const rule = async (name: string, events: string[], intent: string, tag: string) => {
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/admin/triggers',
        headers: w.admin.headers,
        payload: {
          name,
          events,
          conditions: { all: [{ field: 'intent', op: 'is', value: intent }] },
          actions: [{ type: 'add_tags', tags: [tag] }],
        },
      });
      expect(created.statusCode, created.body).toBe(201);
    };
    await rule('Money matters', ['ticket.created'], 'billing', 'money');
    await rule('Parcels', ['ticket.updated'], 'delivery', 'parcel');
    const charged = await w.ticket('You charged my card twice, please refund one payment');
    const login = await w.ticket('I cannot sign in, the password reset link expired');
    await relay(w.workspace.id);
    expect(await w.suggestion(charged.id)).toMatchObject({ category: 'billing', state: 'applied' });
    expect((await getTicket(database.db, w.admin.actor, charged.id)).tags).toEqual(['money']);
    expect((await getTicket(database.db, w.admin.actor, login.id)).tags).toEqual([]);

    // An agent's correction wins over what triage applied.
    const corrected = await app.inject({
      method: 'POST',
      url: `/api/v1/intel/tickets/${charged.id}/triage/feedback`,
      headers: w.agent.headers,
      payload: { category: 'delivery' },
    });
    expect(corrected.statusCode, corrected.body).toBe(200);
    await relay(w.workspace.id);
    expect((await getTicket(database.db, w.admin.actor, charged.id)).tags).toEqual(['money', 'parcel']);
  }, 120_000);

  it('sees a proposed intent when triage is not confident enough to act', async () => {
    const w = await trainedWorkspace(0.999);
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/admin/triggers',
      headers: w.admin.headers,
      payload: {
        name: 'Parcels',
        events: ['ticket.created'],
        conditions: { all: [{ field: 'intent', op: 'is', value: 'delivery' }] },
        actions: [{ type: 'set_priority', value: 'high' }],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const parcel = await w.ticket('Where is my parcel? Tracking shows no delivery for my order');
    await relay(w.workspace.id);
    expect(await w.suggestion(parcel.id)).toMatchObject({ category: 'delivery', state: 'proposed' });
    expect(await getTicket(database.db, w.admin.actor, parcel.id)).toMatchObject({
      priority: 'high',
      customFields: {},
    });
  }, 120_000);

  it('records an agent editing the category field as an acceptance or a correction, once', async () => {
    const w = await trainedWorkspace(0.999);
    const billed = await w.ticket('My card was billed twice this month');
    const account = await w.ticket('Please delete my account and my data');
    const viaEndpoint = await w.ticket('The courier left my package at the wrong address');
    await relay(w.workspace.id);
    expect(await w.suggestion(billed.id)).toMatchObject({ category: 'billing', state: 'proposed' });
    const patch = (id: string, payload: Record<string, unknown>) =>
      app.inject({ method: 'PATCH', url: `/api/v1/tickets/${id}`, headers: w.agent.headers, payload });

    expect((await patch(billed.id, { customFields: { category: 'billing' } })).statusCode).toBe(200);
    expect((await patch(account.id, { customFields: { category: 'account' } })).statusCode).toBe(200);
    // Other changes, and the endpoint's own edit, are no new verdicts.
    expect((await patch(account.id, { priority: 'high' })).statusCode).toBe(200);
    const endpoint = await app.inject({
      method: 'POST',
      url: `/api/v1/intel/tickets/${viaEndpoint.id}/triage/feedback`,
      headers: w.agent.headers,
      payload: { category: 'delivery' },
    });
    expect(endpoint.statusCode).toBe(200);
    await relay(w.workspace.id);

    expect(await w.suggestion(billed.id)).toMatchObject({ state: 'accepted', decidedByUserId: w.agent.id });
    expect(await w.suggestion(account.id)).toMatchObject({ state: 'corrected', decidedByUserId: w.agent.id });
    const rows = await w.feedback();
    expect(rows).toHaveLength(3);
    expect(rows).toEqual(
      expect.arrayContaining([
        { predicted: 'billing', category: 'billing', userId: w.agent.id },
        { predicted: expect.any(String), category: 'account', userId: w.agent.id },
        { predicted: 'delivery', category: 'delivery', userId: w.agent.id },
      ]),
    );
    const status = await app.inject({ url: '/api/v1/intel/triage/status', headers: w.agent.headers });
    expect(status.json().pendingCorrections).toBe(3);

    // Clearing the field is no verdict; changing it again is a new one.
    await patch(account.id, { customFields: { category: null } });
    await patch(billed.id, { customFields: { category: 'login' } });
    await relay(w.workspace.id);
    expect((await w.feedback()).map((row) => row.category).sort()).toEqual([
      'account',
      'billing',
      'delivery',
      'login',
    ]);
    expect(await w.suggestion(billed.id)).toMatchObject({ state: 'corrected' });
    await deps.queue.runDue();
    const learnt = await app.inject({ url: '/api/v1/intel/triage/status', headers: w.agent.headers });
    expect(learnt.json()).toMatchObject({ pendingCorrections: 0 });
    expect(learnt.json().model.version).toBeGreaterThan(1);
  }, 120_000);

  it('records bulk tag edits of a tag group, but not triage filing the ticket itself', async () => {
    const team = await signedInTeam(database);
    for (const [category, texts] of Object.entries(triageExamples))
      for (const body of texts.slice(0, 6))
        await makeTicket(database.db, team.admin.actor, {
          subject: body,
          message: { body },
          tags: [`topic:${category}`],
        });
    await app.inject({
      method: 'PUT',
      url: '/api/v1/intel/triage/settings',
      headers: team.admin.headers,
      payload: { source: { kind: 'tags', prefix: 'topic:' }, threshold: 0.34 },
    });
    await deps.queue.runDue();
    const applied = await makeTicket(database.db, team.admin.actor, {
      subject: 'Password reset',
      message: { body: 'I forgot my password and the reset link expired' },
    });
    const other = await makeTicket(database.db, team.admin.actor, {
      subject: 'Refund',
      message: { body: 'Please refund the duplicate payment on my card' },
    });
    await relay(team.workspace.id);
    expect((await getTicket(database.db, team.admin.actor, applied.id)).tags).toEqual(['topic:login']);
    const count = async () =>
      (
        await database.db
          .select()
          .from(intelTriageFeedback)
          .where(eq(intelTriageFeedback.workspaceId, team.workspace.id))
      ).length;
    expect(await count()).toBe(0);

    const bulk = await app.inject({
      method: 'POST',
      url: '/api/v1/tickets/bulk',
      headers: team.agent.headers,
      payload: {
        ticketIds: [applied.id, other.id],
        changes: { addTags: ['topic:delivery'], removeTags: ['topic:login', 'topic:billing'] },
      },
    });
    expect(bulk.statusCode, bulk.body).toBe(200);
    await relay(team.workspace.id);
    const rows = await database.db
      .select()
      .from(intelTriageFeedback)
      .where(eq(intelTriageFeedback.workspaceId, team.workspace.id));
    expect(rows.map((row) => [row.ticketId, row.category, row.userId]).sort()).toEqual(
      [
        [applied.id, 'delivery', team.agent.id],
        [other.id, 'delivery', team.agent.id],
      ].sort(),
    );
  }, 120_000);
});
