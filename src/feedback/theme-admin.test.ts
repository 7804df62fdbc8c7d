import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DatabaseKind, describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeUser, makeWorkspace } from '../../test/support/factories.ts';
import { bearerFor, testApp } from '../../test/support/http.ts';
import { feedbackThemes } from '../db/schema/index.ts';
import { fixedClock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { insertFeedbackItem } from './feedback-items.ts';
import { rebuildThemes } from './theme-service.ts';
import { topics } from './theme-world.test-support.ts';

const NOW = new Date('2026-05-20T12:00:00Z');

describeEachDatabase('admins renaming feedback themes and acknowledging alerts', (kind: DatabaseKind) => {
  let database: Database;
  let app: App;

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database, { clock: fixedClock(NOW) });
  });
  afterAll(() => app.close());

  it('keeps an admin’s name when themes are learnt again; agents and other workspaces cannot rename', async () => {
    const { db } = database;
    const { workspace, admin } = await makeWorkspace(db);
    const headers = await bearerFor(database, admin.actor);
    for (const [i, body] of [...topics.sizing, ...topics.late].entries())
      await db.transaction((tx) =>
        insertFeedbackItem(tx, {
          workspaceId: workspace.id,
          source: 'review',
          body,
          occurredAt: new Date(NOW.getTime() - (1 + i) * 86_400_000),
        }),
      );
    const themes = await rebuildThemes(db, workspace.id, NOW);
    const sizing = themes.find((theme) => theme.terms.some((term) => term.startsWith('size')))!;
    expect(sizing).toBeDefined();

    const rename = (label: string, auth = headers, id = sizing.id) =>
      app.inject({
        method: 'PATCH',
        url: `/api/v1/feedback/themes/${id}`,
        headers: auth,
        payload: { label },
      });
    const renamed = await rename('  Sizing  ');
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ id: sizing.id, label: 'Sizing', size: 8 });
    expect((await rename('')).statusCode).toBe(400);
    const agent = await makeUser(db, workspace.id, 'agent');
    expect((await rename('Mine', await bearerFor(database, agent.actor))).statusCode).toBe(403);
    const other = await makeWorkspace(db);
    expect((await rename('Theirs', await bearerFor(database, other.admin.actor))).statusCode).toBe(404);

    await rebuildThemes(db, workspace.id, new Date(NOW.getTime() + 60_000));
    const listed = await app.inject({ url: '/api/v1/feedback/themes', headers });
    const labels = (listed.json().data as { id: string; label: string }[]).map((theme) => theme.label);
    expect(labels).toContain('Sizing');
    expect(labels).toHaveLength(2);
  });

  it('acknowledges a rise alert until the next one', async () => {
    const { db } = database;
    const { workspace, admin } = await makeWorkspace(db);
    const headers = await bearerFor(database, admin.actor);
    const [theme] = await db
      .insert(feedbackThemes)
      .values({
        workspaceId: workspace.id,
        label: 'late delivery',
        alertedAt: new Date(NOW.getTime() - 3_600_000),
      })
      .returning();
    const open = async () =>
      (
        (await app.inject({ url: '/api/v1/feedback/themes', headers })).json().data as {
          alertOpen: boolean;
        }[]
      )[0]?.alertOpen;
    expect(await open()).toBe(true);
    const acknowledge = (auth: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/feedback/themes/${theme!.id}/alert/acknowledge`,
        headers: auth,
      });
    const agent = await makeUser(db, workspace.id, 'agent');
    expect((await acknowledge(await bearerFor(database, agent.actor))).statusCode).toBe(403);
    const done = await acknowledge(headers);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ alertOpen: false, alertedAt: expect.any(String) });
    // A rise alerted after the acknowledgement is open again.
    await db
      .update(feedbackThemes)
      .set({ alertedAt: new Date(NOW.getTime() + 3_600_000) })
      .where(eq(feedbackThemes.id, theme!.id));
    expect(await open()).toBe(true);
  });
});
