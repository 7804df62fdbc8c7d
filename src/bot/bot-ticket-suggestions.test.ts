import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeWorkspace } from '../../test/support/factories.ts';
import { bearerFor, signedInTeam, testApp } from '../../test/support/http.ts';
import { makeHelpArticles } from '../../test/support/kb-factories.ts';
import { kbSearchLog } from '../db/schema/index.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { addMessage } from '../tickets/message-service.ts';

describeEachDatabase('answer-bot suggestions beside a ticket', (kind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  const suggestionsOf = (ticketId: string, headers: Record<string, string>) =>
    app.inject({ method: 'GET', url: `/api/v1/answer-bot/tickets/${ticketId}/suggestions`, headers });

  it("follows the customer's latest message, for every role, without logging a search", async () => {
    const { workspace, admin, light } = await signedInTeam(database);
    await makeHelpArticles(database.db, admin.actor);
    const ticket = await makeTicket(database.db, admin.actor, {
      subject: 'Question',
      message: { body: 'How do I reset my password? The sign in page does not take it.' },
    });
    const first = await suggestionsOf(ticket.id, light.headers);
    expect(first.statusCode).toBe(200);
    expect(first.json().articles[0]).toMatchObject({ title: 'Reset your password' });
    expect(first.json().articles[0].url).toMatch(/^http.*\/help\/.+reset-your-password/);
    expect(first.json().articles.length).toBeLessThanOrEqual(3);
    expect(first.json().question).toContain('reset my password');

    await addMessage(database.db, admin.actor, ticket.id, {
      kind: 'customer_message',
      body: 'Thanks, that worked. Another thing: how can I download my invoice from billing?',
    });
    const second = (await suggestionsOf(ticket.id, light.headers)).json();
    expect(second.articles[0].title).toBe('Download your invoice');
    expect(second.confidence).toBeGreaterThan(0);
    expect(typeof second.confident).toBe('boolean');
    expect(second.threshold).toBe(0.5);

    const logged = await database.db
      .select()
      .from(kbSearchLog)
      .where(eq(kbSearchLog.workspaceId, workspace.id));
    expect(logged).toEqual([]);
  });

  it('answers 404 for a ticket of another workspace, exactly as for a missing one', async () => {
    const { admin } = await signedInTeam(database);
    const other = await makeWorkspace(database.db);
    const foreign = await makeTicket(database.db, other.admin.actor, { message: { body: 'Refund policy?' } });
    const headers = await bearerFor(database, admin.actor);
    const response = await suggestionsOf(foreign.id, headers);
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect((await suggestionsOf(crypto.randomUUID(), headers)).json().type).toBe(response.json().type);
    expect((await suggestionsOf('not-an-id', headers)).statusCode).toBe(400);
  });
});
