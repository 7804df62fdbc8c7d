import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeOrder } from '../../test/support/crm-factories.ts';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeUser, makeWorkspace } from '../../test/support/factories.ts';
import { bearerFor, testApp } from '../../test/support/http.ts';
import { surveyResponses } from '../db/schema/index.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';

describeEachDatabase('customer profile and timeline', (kind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  it('shows tier, consent, pinned notes, lifetime figures and one timeline of tickets, messages, CSAT and events', async () => {
    const { workspace, admin } = await makeWorkspace(database.db);
    const headers = await bearerFor(database, admin.actor);
    const email = 'vera@shop.test';
    const ticket = await makeTicket(database.db, admin.actor, { customer: { email, name: 'Vera Vip' } });
    const customerId = ticket.customerId;
    await makeOrder(
      database.db,
      admin.actor,
      email,
      [
        ['A', 10],
        ['B', 5.5],
      ],
      {
        occurredAt: '2026-01-02T10:00:00Z',
        number: '501',
      },
    );
    await makeOrder(database.db, admin.actor, email, [['C', 20]], {
      occurredAt: '2026-02-02T10:00:00Z',
      number: '502',
    });
    await database.db.insert(surveyResponses).values([
      {
        workspaceId: workspace.id,
        kind: 'csat',
        score: 5,
        source: 'email',
        ticketId: ticket.id,
        customerId,
        comment: 'Great',
      },
      { workspaceId: workspace.id, kind: 'csat', score: 2, source: 'email', ticketId: ticket.id, customerId },
    ]);
    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${customerId}`,
      headers,
      payload: { tier: 'VIP', consentMarketing: true, consentProactive: false },
    });
    expect(patched.json()).toMatchObject({ tier: 'vip', consentMarketing: true, consentProactive: false });
    const note = async (body: string, pinned?: boolean) =>
      (
        await app.inject({
          method: 'POST',
          url: `/api/v1/customers/${customerId}/notes`,
          headers,
          payload: { body, ...(pinned !== undefined && { pinned }) },
        })
      ).json();
    const pinned = await note('Prefers phone after 5 pm', true);
    const plain = await note('Asked about bulk discounts');
    const profile = (
      await app.inject({ method: 'GET', url: `/api/v1/customers/${customerId}/profile`, headers })
    ).json();
    expect(profile.customer.tier).toBe('vip');
    expect(profile.notes.map((n: { id: string }) => n.id)).toEqual([pinned.id, plain.id]);
    expect(profile.lifetime).toMatchObject({
      orders: 2,
      orderValue: 35.5,
      currency: 'EUR',
      tickets: 1,
      openTickets: 1,
      averageCsat: 3.5,
      csatAnswers: 2,
    });
    expect(profile.lifetime.lastContactAt).not.toBeNull();
    expect(profile.latestOrder).toMatchObject({ orderNumber: '502' });
    const unpin = await app.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${customerId}/notes/${pinned.id}`,
      headers,
      payload: { pinned: false },
    });
    expect(unpin.json().pinned).toBe(false);
    const timeline = (
      await app.inject({ method: 'GET', url: `/api/v1/customers/${customerId}/timeline?limit=3`, headers })
    ).json();
    expect(timeline.data).toHaveLength(3);
    const rest = (
      await app.inject({
        method: 'GET',
        url: `/api/v1/customers/${customerId}/timeline?cursor=${timeline.nextCursor}`,
        headers,
      })
    ).json();
    const all = [...timeline.data, ...rest.data];
    expect(all.map((e: { kind: string }) => e.kind).sort()).toEqual([
      'csat',
      'csat',
      'event',
      'event',
      'message',
      'ticket',
    ]);
    expect(all.find((e: { kind: string }) => e.kind === 'event')).toMatchObject({ title: 'order.placed' });
    const other = await makeWorkspace(database.db);
    const elsewhere = await app.inject({
      method: 'GET',
      url: `/api/v1/customers/${customerId}/timeline`,
      headers: await bearerFor(database, other.admin.actor),
    });
    expect(elsewhere.statusCode).toBe(404);
    const light = await makeUser(database.db, workspace.id, 'light');
    const refused = await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${customerId}/notes`,
      headers: await bearerFor(database, light.actor),
      payload: { body: 'x' },
    });
    expect(refused.statusCode).toBe(403);
    const removed = await app.inject({
      method: 'DELETE',
      url: `/api/v1/customers/${customerId}/notes/${plain.id}`,
      headers,
    });
    expect(removed.statusCode).toBe(204);
  });
});
