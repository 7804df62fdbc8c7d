import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeUser } from '../../test/support/factories.ts';
import { bearerFor, signedInTeam, testApp, testDeps } from '../../test/support/http.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { createOutboxRelay } from '../platform/outbox/relay.ts';
import { addMessage } from '../tickets/message-service.ts';
import { updateTicket } from '../tickets/ticket-service.ts';
import { qaPreScore } from './qa-jobs.ts';

describeEachDatabase('QA scorecards', (kind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  type Headers = Record<string, string>;
  const call = (method: 'GET' | 'PUT' | 'POST', url: string, headers: Headers, payload?: object) =>
    app.inject({ method, url: `/api/v1/qa${url}`, headers, ...(payload && { payload }) });

  async function solvedTicket(team: Awaited<ReturnType<typeof signedInTeam>>) {
    const ticket = await makeTicket(database.db, team.admin.actor, {
      message: { body: 'My order arrived broken. This is unacceptable!!' },
      assigneeId: team.agent.id,
    });
    await addMessage(database.db, team.agent.actor, ticket.id, {
      kind: 'public_reply',
      body: "I'm sorry it arrived broken. I will send a new one today.",
    });
    return ticket;
  }

  it('pre-scores a ticket when it is solved, then reviewers score it and see their calibration', async () => {
    const team = await signedInTeam(database);
    const { admin, agent, workspace } = team;
    const second = await makeUser(database.db, workspace.id, 'agent');
    const secondHeaders = await bearerFor(database, second.actor);
    const ticket = await solvedTicket(team);
    expect((await call('GET', `/tickets/${ticket.id}/reviews`, admin.headers)).statusCode).toBe(422);
    await updateTicket(database.db, agent.actor, ticket.id, { status: 'solved' });
    await createOutboxRelay({
      database,
      handlers: [qaPreScore],
      logger: testDeps(database).logger,
      workspaceId: workspace.id,
    }).drain();

    const { data: rubrics } = (await call('GET', '/rubrics', agent.headers)).json();
    expect(rubrics.map((r: { name: string }) => r.name)).toEqual(['Standard']);
    const rubricId = rubrics[0].id;
    const first = (await call('GET', `/tickets/${ticket.id}/reviews`, admin.headers)).json();
    expect(first.reviews).toHaveLength(1);
    expect(first.reviews[0]).toMatchObject({
      automatic: true,
      reviewerId: null,
      agentId: agent.id,
      scores: { empathy: 4, clarity: 4, next_step: 4, no_blame: 2, speed: 4, resolution: 4 },
      total: 100,
    });

    const own = await call('PUT', `/tickets/${ticket.id}/reviews`, agent.headers, {
      rubricId,
      scores: { empathy: 4 },
    });
    expect(own.statusCode).toBe(403);
    const bad = await call('PUT', `/tickets/${ticket.id}/reviews`, admin.headers, {
      rubricId,
      scores: { empathy: 9 },
    });
    expect(bad.statusCode).toBe(400);
    const review = (scores: Record<string, number | null>, headers: Headers, comment?: string) =>
      call('PUT', `/tickets/${ticket.id}/reviews`, headers, { rubricId, scores, comment });
    const mine = await review(
      { empathy: 4, clarity: 3, next_step: 4, no_blame: 2, speed: null, resolution: 4 },
      admin.headers,
      'Good save.',
    );
    expect(mine.statusCode).toBe(200);
    // (20·1 + 20·0.75 + 20·1 + 10·1 + 20·1) / 90
    expect(mine.json().total).toBe(94.4);
    await review(
      { empathy: 1, clarity: 3, next_step: 4, no_blame: 2, speed: null, resolution: 4 },
      secondHeaders,
    );

    const after = (await call('GET', `/tickets/${ticket.id}/reviews`, admin.headers)).json();
    expect(after.reviews.map((r: { automatic: boolean }) => r.automatic)).toEqual([true, false, false]);
    expect(after.calibration).toEqual([
      expect.objectContaining({ rubricId, reviewers: 2, totalSpread: 16.7, disagree: true }),
    ]);
    const calibration = (await call('GET', `/rubrics/${rubricId}/calibration`, admin.headers)).json();
    expect(calibration).toMatchObject({
      disagreeing: 1,
      agreement: 0,
      tickets: [
        {
          ticketId: ticket.id,
          ticket: { number: ticket.number, subject: ticket.subject },
          reviews: [
            { reviewerId: admin.id, total: 94.4, scores: { empathy: 4, speed: null } },
            { reviewerId: second.id, total: 77.8, scores: { empathy: 1 } },
          ],
          criteria: expect.arrayContaining([{ key: 'empathy', min: 1, max: 4, spread: 3, disagree: true }]),
        },
      ],
    });
    expect((await call('GET', `/rubrics/${rubricId}/calibration`, agent.headers)).statusCode).toBe(403);

    const seen = (await call('GET', '/reviews', agent.headers)).json().data;
    expect(seen.map((r: { comment: string }) => r.comment)).toContain('Good save.');
    expect(seen[0].ticket).toEqual({ number: ticket.number, subject: ticket.subject });
    expect(seen.every((r: { agentId: string }) => r.agentId === agent.id)).toBe(true);
    expect((await call('GET', '/reviews', second.actor && secondHeaders)).json().data).toHaveLength(0);
  });

  it('samples solved tickets for review reproducibly, skipping ones the reviewer handled or reviewed', async () => {
    const team = await signedInTeam(database);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const ticket = await solvedTicket(team);
      await updateTicket(database.db, team.agent.actor, ticket.id, { status: 'solved' });
      ids.push(ticket.id);
    }
    const queue = async (headers: Headers, seed: string) =>
      (await call('GET', `/queue?limit=3&seed=${seed}`, headers))
        .json()
        .data.map((t: { id: string }) => t.id);
    const a = await queue(team.admin.headers, 'week-1');
    expect(a).toHaveLength(3);
    expect(await queue(team.admin.headers, 'week-1')).toEqual(a);
    expect(await queue(team.agent.headers, 'week-1')).toEqual([]);
    const { data: rubrics } = (await call('GET', '/rubrics', team.admin.headers)).json();
    await call('PUT', `/tickets/${a[0]}/reviews`, team.admin.headers, {
      rubricId: rubrics[0].id,
      scores: { empathy: 2 },
    });
    const next = await queue(team.admin.headers, 'week-1');
    expect(next).not.toContain(a[0]);
    expect(next).toHaveLength(3);
    expect(new Set([...ids])).toEqual(new Set([...next, a[0]]));
  });

  it('lets admins write their own rubric', async () => {
    const { admin, agent } = await signedInTeam(database);
    const body = {
      name: 'Chat',
      criteria: [
        { key: 'greeting', label: 'Greets by name', weight: 1, max: 1 },
        { key: 'empathy', label: 'Empathy', weight: 3, max: 4, signal: 'empathy' },
      ],
    };
    expect((await call('POST', '/rubrics', agent.headers, body)).statusCode).toBe(403);
    const created = await call('POST', '/rubrics', admin.headers, body);
    expect(created.statusCode).toBe(201);
    expect(created.json().criteria[0]).toMatchObject({ key: 'greeting', signal: null, description: '' });
    const dup = await call('POST', '/rubrics', admin.headers, {
      ...body,
      name: 'X',
      criteria: [body.criteria[0], body.criteria[0]],
    });
    expect(dup.statusCode).toBe(400);
    const names = (await call('GET', '/rubrics', agent.headers))
      .json()
      .data.map((r: { name: string }) => r.name);
    expect(names).toEqual(['Chat']);
  });
});
