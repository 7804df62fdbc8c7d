import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeUser, ticketRequest } from '../../test/support/factories.ts';
import { bearerFor, signedInWorkspace, testApp } from '../../test/support/http.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';

describeEachDatabase('ticket routes', (kind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  const setup = () => signedInWorkspace(database);

  it('creates, reads, updates, lists and messages a ticket', async () => {
    const { workspace, headers } = await setup();
    const agent = await makeUser(database.db, workspace.id, 'agent');
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers,
      payload: ticketRequest('pat@example.test'),
    });
    expect(created.statusCode).toBe(201);
    const ticket = created.json();
    expect(ticket).toMatchObject({
      number: 1,
      status: 'new',
      channel: 'email',
      customer: { email: 'pat@example.test' },
      tags: ['shipping'],
    });
    expect(ticket.permissions).toEqual({ update: true, reply: true, note: true, merge: true });
    // Scored after the commit, so never known when the ticket is created.
    expect(ticket.mood).toBeNull();
    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/v1/tickets/${ticket.id}`,
      headers,
      payload: { assigneeId: agent.id, priority: 'high', addTags: ['vip'] },
    });
    expect(patched.json()).toMatchObject({
      assigneeId: agent.id,
      priority: 'high',
      status: 'new',
      tags: ['shipping', 'vip'],
    });
    const reply = await app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/messages`,
      headers,
      payload: { body: 'It ships today.', html: '<p>It ships <b>today</b>.<script>alert(1)</script></p>' },
    });
    expect(reply.statusCode).toBe(201);
    expect(reply.json().html).toBe('<p>It ships <b>today</b>.</p>');
    const messages = await app.inject({
      method: 'GET',
      url: `/api/v1/tickets/${ticket.id}/messages`,
      headers,
    });
    expect(messages.json().data.map((m: { kind: string }) => m.kind)).toEqual([
      'customer_message',
      'public_reply',
    ]);
    const events = await app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/events`, headers });
    expect(events.json().data.map((e: { type: string }) => e.type)).toEqual([
      'ticket.created',
      'ticket.updated',
      'ticket.updated',
    ]);
    const counts = await app.inject({ method: 'GET', url: '/api/v1/tickets/counts', headers });
    expect(counts.json()).toMatchObject({ unsolved: 1, unassigned: 0, byStatus: { open: 1 } });
  });

  it('filters and pages the list with a cursor', async () => {
    const { admin, headers } = await setup();
    for (let i = 0; i < 7; i++)
      await makeTicket(database.db, admin.actor, {
        tags: i % 2 ? ['odd'] : ['even'],
        channel: i < 3 ? 'chat' : 'email',
      });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: { id: string }[]; nextCursor: string | null } = (
        await app.inject({
          method: 'GET',
          url: `/api/v1/tickets?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
          headers,
        })
      ).json();
      seen.push(...page.data.map((t) => t.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    const chats = (
      await app.inject({ method: 'GET', url: '/api/v1/tickets?channel=chat&tag=odd', headers })
    ).json();
    expect(chats.data).toHaveLength(1);
    const unassigned = (
      await app.inject({ method: 'GET', url: '/api/v1/tickets?assignee=none&status=new,open', headers })
    ).json();
    expect(unassigned.data).toHaveLength(7);
    const searched = (
      await app.inject({ method: 'GET', url: '/api/v1/tickets?q=cracked%20lid', headers })
    ).json();
    expect(searched.data).toHaveLength(7);
    const byNumber = (await app.inject({ method: 'GET', url: '/api/v1/tickets?q=%233', headers })).json();
    expect(byNumber.data.map((t: { number: number }) => t.number)).toEqual([3]);
  });

  it('sorts by priority, most urgent first, across pages', async () => {
    const { admin, headers } = await setup();
    const priorities = ['low', 'urgent', 'normal', 'high', 'urgent', 'low', 'high'] as const;
    for (const priority of priorities) await makeTicket(database.db, admin.actor, { priority });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: { priority: string }[]; nextCursor: string | null } = (
        await app.inject({
          method: 'GET',
          url: `/api/v1/tickets?sort=priority&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          headers,
        })
      ).json();
      seen.push(...page.data.map((t) => t.priority));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['urgent', 'urgent', 'high', 'high', 'normal', 'low', 'low']);
  });

  it('merges a ticket into another', async () => {
    const { admin, headers } = await setup();
    const a = await makeTicket(database.db, admin.actor);
    const b = await makeTicket(database.db, admin.actor, { tags: ['dup'] });
    const merged = await app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${b.id}/merge`,
      headers,
      payload: { into: a.id },
    });
    expect(merged.statusCode).toBe(200);
    expect(merged.json().source).toMatchObject({ status: 'closed', mergedIntoId: a.id });
    expect(merged.json().target.tags).toContain('dup');
    const messages = (
      await app.inject({ method: 'GET', url: `/api/v1/tickets/${a.id}/messages`, headers })
    ).json().data;
    expect(messages.filter((m: { kind: string }) => m.kind === 'customer_message')).toHaveLength(2);
    const again = await app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${b.id}/merge`,
      headers,
      payload: { into: a.id },
    });
    expect(again.statusCode).toBe(422);
  });

  it('links tickets as related and parent/child', async () => {
    const { admin, headers } = await setup();
    const [a, b, c] = [
      await makeTicket(database.db, admin.actor),
      await makeTicket(database.db, admin.actor),
      await makeTicket(database.db, admin.actor),
    ];
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/v1/tickets/${a.id}/links`,
          headers,
          payload: { ticketId: b.id, kind: 'parent_of' },
        })
      ).statusCode,
    ).toBe(201);
    await app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${a.id}/links`,
      headers,
      payload: { ticketId: c.id, kind: 'related' },
    });
    expect(
      (await app.inject({ method: 'GET', url: `/api/v1/tickets/${b.id}/links`, headers })).json().data,
    ).toEqual([{ kind: 'child_of', ticketId: a.id }]);
    const cycle = await app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${b.id}/links`,
      headers,
      payload: { ticketId: a.id, kind: 'parent_of' },
    });
    expect(cycle.statusCode).toBe(409);
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/v1/tickets/${c.id}/links/${a.id}`, headers }))
        .statusCode,
    ).toBe(204);
  });

  it('answers 404 for another workspace’s ticket exactly as for a missing one', async () => {
    const mine = await setup();
    const theirs = await setup();
    const ticket = await makeTicket(database.db, theirs.admin.actor);
    const foreign = await app.inject({
      method: 'GET',
      url: `/api/v1/tickets/${ticket.id}`,
      headers: mine.headers,
    });
    const missing = await app.inject({
      method: 'GET',
      url: '/api/v1/tickets/00000000-0000-4000-8000-000000000000',
      headers: mine.headers,
    });
    expect(foreign.statusCode).toBe(404);
    expect({ ...foreign.json(), requestId: '', instance: '' }).toEqual({
      ...missing.json(),
      requestId: '',
      instance: '',
    });
    const patch = await app.inject({
      method: 'PATCH',
      url: `/api/v1/tickets/${ticket.id}`,
      headers: mine.headers,
      payload: { status: 'open' },
    });
    expect(patch.statusCode).toBe(404);
    const listed = (
      await app.inject({ method: 'GET', url: '/api/v1/tickets', headers: mine.headers })
    ).json();
    expect(listed.data).toHaveLength(0);
  });

  it('enforces roles: light agents read and note but do not change tickets', async () => {
    const { workspace, admin } = await setup();
    const light = await makeUser(database.db, workspace.id, 'light');
    const headers = await bearerFor(database, light.actor);
    const ticket = await makeTicket(database.db, admin.actor);
    expect(
      (await app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, headers })).json().permissions,
    ).toEqual({ update: false, reply: false, note: true, merge: false });
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/v1/tickets',
          headers,
          payload: ticketRequest('l@example.test'),
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await app.inject({
          method: 'PATCH',
          url: `/api/v1/tickets/${ticket.id}`,
          headers,
          payload: { status: 'open' },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/v1/tickets/${ticket.id}/messages`,
          headers,
          payload: { kind: 'public_reply', body: 'hi' },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/v1/tickets/${ticket.id}/messages`,
          headers,
          payload: { kind: 'internal_note', body: 'hi' },
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/v1/users',
          headers,
          payload: { email: 'x@example.test', name: 'x', password: 'long enough password' },
        })
      ).statusCode,
    ).toBe(403);
  });
});
