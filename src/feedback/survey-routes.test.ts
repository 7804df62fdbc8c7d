import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeUser, makeWorkspace } from '../../test/support/factories.ts';
import { testDeps } from '../../test/support/http.ts';
import { buildApp } from '../app.ts';
import { feedbackItems, surveyResponses, ticketEvents } from '../db/schema/index.ts';
import { fixedClock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { SURVEY_RATE_LIMIT } from './survey-routes.ts';
import { createCsatInvitation, surveyLinks } from './survey-service.ts';

describeEachDatabase('CSAT survey links', (kind: DatabaseKind) => {
  let database: Database;
  let app: App;
  let deps: ReturnType<typeof testDeps>;
  const clock = fixedClock(new Date('2026-05-04T10:00:00Z'));
  let address = 0;
  // Each test clicks from its own address, so the rate limit of one never stops another.
  const client = () => `192.0.2.${++address}`;

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    deps = testDeps(database, { clock });
    app = await buildApp(deps);
    await app.ready();
  });
  afterAll(() => app.close());

  async function invitation(score = 2) {
    const { workspace, admin } = await makeWorkspace(database.db);
    const agent = await makeUser(database.db, workspace.id, 'agent');
    const ticket = await makeTicket(database.db, admin.actor, { assigneeId: agent.id });
    const row = await createCsatInvitation(
      database.db,
      { workspaceId: workspace.id, ticketId: ticket.id, ttlHours: 48 },
      clock.now(),
    );
    const links = surveyLinks(deps.secretBox, 'https://help.example.test', row).map((link) => ({
      ...link,
      path: new URL(link.url).pathname + new URL(link.url).search,
      token: new URL(link.url).searchParams.get('t') ?? '',
    }));
    return { ticket, agent, links, chosen: links[score - 1]! };
  }

  const comment = (token: string, text: string, remoteAddress: string) =>
    app.inject({
      method: 'POST',
      url: `/feedback/survey/comment?t=${encodeURIComponent(token)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ comment: text }).toString(),
      remoteAddress,
    });

  it('records one click without signing in, once, on the ticket, customer and agent', async () => {
    const { ticket, agent, links, chosen } = await invitation(2);
    const from = client();
    expect(links.map((link) => link.score)).toEqual([1, 2, 3, 4, 5]);
    const first = await app.inject({ url: chosen.path, remoteAddress: from });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['content-type']).toContain('text/html');
    expect(first.body).toContain('You rated us 2');
    expect(first.body).toContain('<form method="post"');
    const again = await app.inject({ url: links[4]!.path, remoteAddress: from });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('the first answer counts');
    const [answer] = await database.db
      .select()
      .from(surveyResponses)
      .where(eq(surveyResponses.ticketId, ticket.id));
    expect(answer).toMatchObject({
      kind: 'csat',
      score: 2,
      source: 'email',
      customerId: ticket.customerId,
      agentId: agent.id,
    });

    const sent = await comment(chosen.token, 'The refund took <b>three</b> weeks', from);
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.body).toContain('reached the team');
    const twice = await comment(chosen.token, 'again', from);
    expect(twice.statusCode).toBe(409);
    const [commented] = await database.db
      .select()
      .from(surveyResponses)
      .where(eq(surveyResponses.ticketId, ticket.id));
    expect(commented?.comment).toBe('The refund took <b>three</b> weeks');
    const history = await database.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticket.id));
    expect(history.map((event) => event.type)).toEqual(
      expect.arrayContaining(['survey.answered', 'survey.commented']),
    );
    // A low score's comment becomes a feedback item for the themes.
    const items = await database.db.select().from(feedbackItems).where(eq(feedbackItems.ticketId, ticket.id));
    expect(items).toEqual([
      expect.objectContaining({ source: 'csat', rating: 2, body: 'The refund took <b>three</b> weeks' }),
    ]);
  });

  it("keeps a happy customer's comment on the answer only, and offers the form again to a second click", async () => {
    const { ticket, chosen, links } = await invitation(5);
    const from = client();
    expect((await app.inject({ url: chosen.path, remoteAddress: from })).statusCode).toBe(200);
    const second = await app.inject({ url: links[0]!.path, remoteAddress: from });
    expect(second.statusCode).toBe(409);
    expect(second.body).toContain('(5)');
    expect(second.body).toContain('<form method="post"');
    expect((await comment(links[0]!.token, 'Quick and kind', from)).statusCode).toBe(200);
    const items = await database.db.select().from(feedbackItems).where(eq(feedbackItems.ticketId, ticket.id));
    expect(items).toEqual([]);
    const [answer] = await database.db
      .select()
      .from(surveyResponses)
      .where(eq(surveyResponses.ticketId, ticket.id));
    expect(answer).toMatchObject({ score: 5, comment: 'Quick and kind' });
  });

  it('escapes what it shows and refuses a comment on a link that recorded nothing', async () => {
    const { links } = await invitation();
    const from = client();
    const early = await comment(links[0]!.token, 'Nothing was clicked yet', from);
    expect(early.statusCode).toBe(404);
    expect(early.body).toContain('not valid');
    const forged = await comment('"><script>alert(1)</script>', 'x', from);
    expect(forged.statusCode).toBe(404);
    expect(forged.body).not.toContain('<script>');
  });

  it('refuses expired and forged links with a page that says why', async () => {
    const { links, ticket } = await invitation();
    const from = client();
    const path = links[0]!.path;
    const forged = path.slice(0, -4) + (path.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const refused = await app.inject({ url: forged, remoteAddress: from });
    expect(refused.statusCode).toBe(404);
    expect(refused.body).toContain('Survey link not valid');
    expect(
      (await app.inject({ url: '/feedback/survey?t=not-a-token-at-all', remoteAddress: from })).statusCode,
    ).toBe(404);
    // No token at all is a malformed request: a problem body.
    const bare = await app.inject({ url: '/feedback/survey', remoteAddress: from });
    expect(bare.statusCode).toBe(400);
    expect(bare.json()).toMatchObject({ type: 'urn:rapport:problem:validation_failed', status: 400 });
    clock.advance(49 * 3_600_000);
    const late = await app.inject({ url: links[3]!.path, remoteAddress: from });
    expect(late.statusCode).toBe(410);
    expect(late.body).toContain('This survey has expired');
    expect(late.body).not.toContain('<form');
    const answers = await database.db
      .select()
      .from(surveyResponses)
      .where(eq(surveyResponses.ticketId, ticket.id));
    expect(answers).toEqual([]);
  });

  it('closes the comment a day after the answer', async () => {
    const { chosen } = await invitation();
    const from = client();
    expect((await app.inject({ url: chosen.path, remoteAddress: from })).statusCode).toBe(200);
    clock.advance(25 * 3_600_000);
    const late = await comment(chosen.token, 'Forgot to say', from);
    expect(late.statusCode).toBe(410);
    expect(late.body).toContain('Too late to comment');
  });

  it('rate-limits the public pages per client address', async () => {
    const { links } = await invitation();
    const from = client();
    const statuses: number[] = [];
    for (let n = 0; n <= SURVEY_RATE_LIMIT; n++)
      statuses.push((await app.inject({ url: links[0]!.path, remoteAddress: from })).statusCode);
    expect(statuses.slice(0, SURVEY_RATE_LIMIT).every((status) => status !== 429)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const limited = await comment(links[0]!.token, 'x', from);
    expect(limited.statusCode).toBe(429);
    // Someone else is not held up.
    expect((await app.inject({ url: links[0]!.path, remoteAddress: client() })).statusCode).toBe(409);
  });
});
