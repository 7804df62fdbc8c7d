import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeUser } from '../../test/support/factories.ts';
import { bearerFor, testApp } from '../../test/support/http.ts';
import { fixedClock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { march, reportWorld } from './report-world.test-support.ts';

describeEachDatabase('KPI report API', (kind: DatabaseKind) => {
  let database: Database;
  let app: App;
  let world: Awaited<ReturnType<typeof reportWorld>>;
  let headers: Record<string, string>;

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database, { clock: fixedClock(march(10, 0)) });
    world = await reportWorld(database.db);
    headers = await bearerFor(database, world.admin.actor);
  });
  afterAll(() => app.close());

  const period = 'from=2025-03-03T00:00:00Z&to=2025-03-10T00:00:00Z';

  it('returns the KPIs of the admin’s workspace as JSON, grouped as asked', async () => {
    const response = await app.inject({
      url: `/api/v1/reports/kpis?${period}&group_by=day&compare=previous`,
      headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.totals).toMatchObject({ created: 5, solved: 4, reopened: 1, oneTouchRate: 0.5 });
    expect(body.previousTotals.created).toBe(1);
    expect(body.rows.map((row: { key: string }) => row.key)).toEqual([
      '2025-03-03',
      '2025-03-04',
      '2025-03-05',
      '2025-03-06',
      '2025-03-07',
    ]);
    expect(body.agents).toContainEqual(
      expect.objectContaining({ agentId: world.agent1.id, name: world.agent1.name }),
    );
    // Another workspace's admin sees none of it.
    const other = await reportWorld(database.db);
    const elsewhere = await app.inject({
      url: `/api/v1/reports/kpis?${period}&channel=chat`,
      headers: await bearerFor(database, other.admin.actor),
    });
    expect(elsewhere.json().totals.created).toBe(1);
  });

  it('refuses agents, bad ranges and unknown groupings', async () => {
    const agent = await makeUser(database.db, world.workspace.id, 'agent');
    const asAgent = await app.inject({
      url: `/api/v1/reports/kpis?${period}`,
      headers: await bearerFor(database, agent.actor),
    });
    expect(asAgent.statusCode).toBe(403);
    const reversed = await app.inject({ url: '/api/v1/reports/kpis?from=2025-03-10&to=2025-03-03', headers });
    expect(reversed.statusCode).toBe(400);
    expect(reversed.headers['content-type']).toContain('application/problem+json');
    const unknown = await app.inject({ url: `/api/v1/reports/kpis?${period}&group_by=moon`, headers });
    expect(unknown.statusCode).toBe(400);
  });

  it('exports each table as CSV', async () => {
    const rows = await app.inject({
      url: `/api/v1/reports/kpis.csv?${period}&group_by=channel&table=rows`,
      headers,
    });
    expect(rows.statusCode, rows.body).toBe(200);
    expect(rows.headers['content-type']).toContain('text/csv');
    expect(rows.headers['content-disposition']).toContain('kpis-rows-2025-03-03.csv');
    const lines = rows.body.trim().split('\r\n');
    expect(lines[0]).toMatch(/^channel,label,created,solved,reopened,/);
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 4).join(','))).toEqual([
      // Survey answers without a ticket (NPS here) have no channel.
      ',,0,0',
      'chat,chat,1,1',
      'email,email,4,3',
    ]);
    const sla = await app.inject({ url: `/api/v1/reports/kpis.csv?${period}&table=sla`, headers });
    expect(sla.body).toBe(
      'metric,achieved,breached,compliance\r\nfirst_reply,1,1,0.5\r\nresolution,1,1,0.5\r\n',
    );
    const agents = await app.inject({ url: `/api/v1/reports/kpis.csv?${period}&table=agents`, headers });
    expect(agents.body).toContain(`${world.agent1.id},`);
  });
});
