import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { surveyResponses, tickets } from '../../src/db/schema/index.ts';
import type { Actor } from '../../src/platform/auth/actor.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { updateTicket } from '../../src/tickets/ticket-service.ts';
import { browserAvailable, launchBrowser, watchConsole } from '../support/browser.ts';
import { sharedDatabase } from '../support/databases.ts';
import { makeWorkspace } from '../support/factories.ts';
import { serveHostPage } from '../support/host-page.ts';
import { type LiveApp, startLiveApp } from '../support/live-app.ts';

const shots = 'test-results/screenshots';

function shop(widgetUrl: string, workspace: string): Promise<{ server: Server; url: string }> {
  const html = `<!doctype html><html><head><title>Shop</title></head><body><h1>Shop</h1>
    <script src="${widgetUrl}" data-workspace="${workspace}" async></script></body></html>`;
  return serveHostPage(html);
}

describe.runIf(browserAvailable())('CSAT inside the chat widget in Chromium', () => {
  let database: Database;
  let live: LiveApp;
  let browser: Browser;
  let host: { server: Server; url: string };
  let workspaceId: string;
  let admin: Actor;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    database = await sharedDatabase('pglite');
    const world = await makeWorkspace(database.db);
    workspaceId = world.workspace.id;
    admin = world.admin.actor;
    live = await startLiveApp(database, workspaceId);
    host = await shop(`${live.url}/widget.js`, world.workspace.slug);
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await live?.close();
    host?.server.close();
  });

  it('asks for a rating when the agent solves the chat, then takes a comment', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 740 } });
    const problems = watchConsole(page);
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Open chat' }).click();
    const widget = page.getByRole('dialog');
    await widget.getByRole('textbox', { name: 'Message' }).fill('My kettle leaks');
    await widget.getByRole('button', { name: 'Send' }).click();
    const ticket = async () =>
      (await database.db.select().from(tickets).where(eq(tickets.workspaceId, workspaceId)))[0];
    await expect.poll(async () => Boolean(await ticket()), { timeout: 15_000 }).toBe(true);
    await updateTicket(database.db, admin, (await ticket())!.id, { status: 'solved' });

    const survey = widget.getByRole('group', { name: 'Rate this conversation' });
    await survey.getByRole('button', { name: '2 of 5' }).click();
    await survey.getByText('You rated us 2 of 5.').waitFor();
    await survey.getByRole('textbox').fill('It took a while');
    await survey.getByRole('button', { name: 'Send' }).click();
    await survey.getByText('Thank you for your feedback!').waitFor();
    await page.screenshot({ path: `${shots}/widget-csat.png` });
    const [answer] = await database.db
      .select()
      .from(surveyResponses)
      .where(eq(surveyResponses.workspaceId, workspaceId));
    expect(answer).toMatchObject({ kind: 'csat', score: 2, source: 'chat', comment: 'It took a while' });
    expect(problems.unexpected()).toEqual([]);
  });
});
