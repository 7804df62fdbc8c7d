import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { bearerFor } from '../../test/support/http.ts';
import { outboundWorld } from '../../test/support/outbound-email.ts';
import { type SmtpSink, startSmtpSink } from '../../test/support/smtp-sink.ts';
import { buildApp } from '../app.ts';
import { fixedClock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import type { InlineQueue } from '../platform/queue/inline-queue.ts';
import { runCsatJob } from './csat-jobs.ts';

describeEachDatabase('CSAT from solve to answer, over SMTP and HTTP', (kind) => {
  let database: Database;
  let sink: SmtpSink;

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    sink = await startSmtpSink();
  });
  afterAll(() => sink.close());

  it('emails one-click links after the delay, takes the click and the comment, and reports them', async () => {
    // The solve's event is stamped by the database, so the test's clock starts at the real time.
    const start = new Date();
    const clock = fixedClock(start);
    const world = await outboundWorld(database, {
      clock,
      env: { RAPPORT_PUBLIC_URL: 'https://help.shop.test' },
    });
    await world.relayThrough(sink);
    const queue = world.deps.queue as InlineQueue;
    await queue.work('feedback.csat', (job) => runCsatJob(world.deps, job));
    const app = await buildApp(world.deps);
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const admin = await bearerFor(database, world.admin.actor);
      const agent = await bearerFor(database, world.agent.actor);
      const api = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
        const response = await fetch(`${base}${path}`, {
          method,
          headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        return { status: response.status, json: (await response.json()) as Record<string, unknown> };
      };

      const settings = await api('PUT', '/api/v1/feedback/settings', admin, {
        csatDelayMinutes: { email: 15 },
      });
      expect(settings).toMatchObject({
        status: 200,
        json: { csatEnabled: true, csatDelayMinutes: { email: 15 } },
      });
      expect((await api('PUT', '/api/v1/feedback/settings', agent, { csatEnabled: false })).status).toBe(403);

      const { ticket, from } = await world.inboundTicket({ subject: 'Wrong size' });
      const solved = await api('PATCH', `/api/v1/tickets/${ticket.id}`, agent, {
        assigneeId: world.agent.id,
        status: 'solved',
      });
      expect(solved.status, JSON.stringify(solved.json)).toBe(200);
      await world.relay.drain();
      clock.advance(14 * 60_000);
      await queue.runDue();
      await world.sender.runDue();
      const mine = () => sink.messages.filter((message) => message.to.includes(from));
      expect(mine()).toEqual([]);
      clock.advance(2 * 60_000);
      await queue.runDue();
      await world.sender.runDue();
      expect(queue.failed()).toEqual([]);
      expect(mine()).toHaveLength(1);
      const mail = await mine()[0]!.parsed();
      expect(mail.subject).toBe(`How would you rate the support you received? [#${ticket.number}]`);
      const links = [...(mail.text ?? '').matchAll(/^(\d) ★+: (\S+)$/gm)].map((m) => ({
        score: Number(m[1]),
        url: m[2]!,
      }));
      expect(links.map((link) => link.score)).toEqual([1, 2, 3, 4, 5]);
      for (const link of links) expect(mail.html).toContain(link.url.replaceAll('&', '&amp;'));
      // The links name the public origin; this test's server stands in for it.
      const onServer = (url: string) => {
        const parsed = new URL(url);
        return `${base}${parsed.pathname}${parsed.search}`;
      };

      const answered = await fetch(onServer(links[0]!.url));
      expect(answered.status).toBe(200);
      const page = await answered.text();
      expect(page).toContain('You rated us 1');
      const action = /action="([^"]+)"/.exec(page)?.[1]?.replaceAll('&amp;', '&');
      expect(action).toMatch(/^\/feedback\/survey\/comment\?t=/);
      const commented = await fetch(`${base}${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ comment: 'Size chart was wrong' }).toString(),
      });
      expect(commented.status).toBe(200);
      const reused = await fetch(onServer(links[4]!.url));
      expect(reused.status).toBe(409);
      const forged = await fetch(
        `${base}/feedback/survey?t=${encodeURIComponent(`${links[4]!.url.slice(-12)}x`)}`,
      );
      expect(forged.status).toBe(404);
      expect(await forged.text()).toContain('Survey link not valid');

      const expected = {
        kind: 'csat',
        score: 1,
        comment: 'Size chart was wrong',
        source: 'email',
        ticketId: ticket.id,
        customerId: ticket.customerId,
        agentId: world.agent.id,
      };
      for (const filter of [
        `ticket_id=${ticket.id}`,
        `customer_id=${ticket.customerId}`,
        `agent_id=${world.agent.id}`,
      ]) {
        const listed = await api('GET', `/api/v1/survey-responses?${filter}`, agent);
        expect(listed.json).toMatchObject({
          data: [expected],
          summary: [{ kind: 'csat', answers: 1, average: 1, positive: 0 }],
          nextCursor: null,
        });
      }
      const history = await api('GET', `/api/v1/tickets/${ticket.id}/events`, agent);
      expect(JSON.stringify(history.json)).toContain('survey.commented');
      const report = await api(
        'GET',
        `/api/v1/reports/kpis?from=${new Date(start.getTime() - 3_600_000).toISOString()}&to=${new Date(start.getTime() + 3_600_000).toISOString()}&group_by=day`,
        admin,
      );
      expect(report.json).toMatchObject({ totals: { csat: { answers: 1, positive: 0, percent: 0 } } });
    } finally {
      await app.close();
    }
  });
});
