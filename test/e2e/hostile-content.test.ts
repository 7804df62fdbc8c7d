// Script payloads in everything outsiders or colleagues can name (a customer's name, a subject, custom
// fields, an agent's display name, chat messages, KB titles and Markdown) are shown as inert text in the
// console, the help center and the chat widget: in Chromium, nothing of them runs in any frame.
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { and, eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tickets, users } from '../../src/db/schema/index.ts';
import { createCategory } from '../../src/kb/kb-category-service.ts';
import { createArticle } from '../../src/kb/kb-service.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { browserAvailable, launchBrowser, signInToConsole, watchConsole } from '../support/browser.ts';
import { sharedDatabase } from '../support/databases.ts';
import { makeWorkspace, TEST_PASSWORD } from '../support/factories.ts';
import { serveHostPage } from '../support/host-page.ts';
import { bearerFor } from '../support/http.ts';
import { type LiveApp, startLiveApp } from '../support/live-app.ts';

const shots = 'test-results/screenshots';

/** A payload that records its label in window.__xss if any part of it runs, and reads as text otherwise. */
const hostile = (label: string) =>
  `${label} <img src=x onerror="window.__xss='${label}'"><script>window.__xss='${label}'</script>` +
  `<svg onload="window.__xss='${label}'">`;

type Flagged = { __xss?: string };

/** Nothing ran in the page or any of its frames, and no dialog opened. */
async function expectInert(page: Page, dialogs: string[]) {
  for (const frame of page.frames())
    expect(await frame.evaluate(() => (window as Flagged).__xss).catch(() => undefined)).toBeUndefined();
  expect(dialogs).toEqual([]);
}

function dialogsOf(page: Page) {
  const opened: string[] = [];
  page.on('dialog', (dialog) => {
    opened.push(dialog.message());
    void dialog.dismiss();
  });
  return opened;
}

describe.runIf(browserAvailable())('hostile names and content in Chromium', () => {
  let database: Database;
  let live: LiveApp;
  let browser: Browser;
  let host: { server: Server; url: string };
  let admin: Awaited<ReturnType<typeof makeWorkspace>>['admin'];
  let slug: string;
  let articleSlug: string;
  let ticketId: string;
  let headers: Record<string, string>;
  let workspaceId: string;

  const api = async (method: 'POST' | 'GET', path: string, body?: unknown) => {
    const response = await fetch(`${live.url}${path}`, {
      method,
      headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (response.status >= 300)
      throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  };

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    database = await sharedDatabase('pglite');
    const world = await makeWorkspace(database.db);
    admin = world.admin;
    slug = world.workspace.slug;
    workspaceId = world.workspace.id;
    live = await startLiveApp(database, workspaceId);
    headers = await bearerFor(database, world.admin.actor);
    // The agent's display name reaches the visitor's widget with each reply.
    await database.db
      .update(users)
      .set({ name: hostile('agent-name') })
      .where(eq(users.id, world.admin.actor.userId));
    await api('POST', '/api/v1/fields', {
      entity: 'ticket',
      key: 'order_ref',
      label: hostile('field-label'),
      type: 'text',
    });
    await api('POST', '/api/v1/fields', {
      entity: 'customer',
      key: 'nickname',
      label: 'Nickname',
      type: 'text',
    });
    const created = await api('POST', '/api/v1/tickets', {
      subject: hostile('subject'),
      customer: { email: `mallory-${Date.now()}@example.test`, name: hostile('customer-name') },
      message: { body: hostile('message-text') },
      channel: 'email',
      tags: ['hostile'],
      customFields: { order_ref: hostile('field-value') },
    });
    ticketId = String(created.id);
    const category = await createCategory(database.db, admin.actor, {
      name: hostile('category'),
      description: hostile('category-description'),
    });
    const article = await createArticle(database.db, admin.actor, {
      title: hostile('article-title'),
      body: `Refund steps.\n\n${hostile('markdown')}\n\n[click](javascript:window.__xss='markdown-link')`,
      categoryId: category.id,
      status: 'published',
    });
    articleSlug = article.slug;
    host = await serveHostPage(
      `<!doctype html><html><head><title>Shop</title></head><body><h1>Shop</h1>
      <script src="${live.url}/widget.js" data-workspace="${slug}" async></script></body></html>`,
    );
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await live?.close();
    host?.server.close();
  });

  it('shows them as text in the console ticket, its fields and the customer panel', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchConsole(page);
    const dialogs = dialogsOf(page);
    await signInToConsole(page, live.url, admin.email, TEST_PASSWORD);
    await page.goto(`${live.url}/tickets/${ticketId}`);
    await page.getByText(hostile('subject')).first().waitFor();
    await page.getByText(hostile('customer-name')).first().waitFor();
    await page.getByText(hostile('message-text')).first().waitFor();
    await page.getByText(hostile('field-label')).first().waitFor();
    await page.getByText(hostile('agent-name')).first().waitFor();
    await page.screenshot({ path: `${shots}/hostile-console.png` });
    await expectInert(page, dialogs);
    // The field's value sits in an input, shown as its text.
    expect(
      await page.locator('input').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value)),
    ).toContain(hostile('field-value'));
    // The inbox row and search results show the same text.
    await page.goto(`${live.url}/search?q=subject`);
    await page
      .getByText(/subject/)
      .first()
      .waitFor();
    await expectInert(page, dialogs);
    expect(problems.unexpected()).toEqual([]);
    await page.close();
  });

  it('shows them as text in the help center: home, category, article and search', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    const problems = watchConsole(page);
    const dialogs = dialogsOf(page);
    await page.goto(`${live.url}/help/${slug}`);
    await page.getByText(hostile('category')).first().waitFor();
    await expectInert(page, dialogs);
    await page.goto(`${live.url}/help/${slug}/articles/${articleSlug}`);
    await page.getByRole('heading', { name: hostile('article-title') }).waitFor();
    await page.getByText('Refund steps.').waitFor();
    expect(await page.locator('article script, [onerror], [onload]').count()).toBe(0);
    const link = page.getByText('click', { exact: true });
    if (await link.count()) expect((await link.getAttribute('href')) ?? '').not.toMatch(/^javascript:/i);
    await expectInert(page, dialogs);
    await page.goto(`${live.url}/help/${slug}/search?q=refund`);
    await page.getByText(hostile('article-title')).first().waitFor();
    await page.screenshot({ path: `${shots}/hostile-help-center.png` });
    await expectInert(page, dialogs);
    // The Markdown's <img src=x> stays, without its handler, and fails to load.
    problems.expect(/status of 404/);
    expect(problems.unexpected()).toEqual([]);
    await page.close();
  });

  it('shows them as text in the chat widget both ways, and in the console chat', async () => {
    const visitor = await browser.newPage({ viewport: { width: 390, height: 740 } });
    const problems = watchConsole(visitor);
    const dialogs = dialogsOf(visitor);
    await visitor.goto(host.url);
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    const widget = visitor.getByRole('dialog');
    await widget.getByRole('textbox', { name: 'Message' }).fill(hostile('visitor-chat'));
    await widget.getByRole('button', { name: 'Send' }).click();
    await widget.locator('.msg.visitor:not(.pending)').first().waitFor();
    const chat = async () =>
      (
        await database.db
          .select()
          .from(tickets)
          .where(and(eq(tickets.workspaceId, workspaceId), eq(tickets.channel, 'chat')))
      )[0];
    await expect.poll(async () => Boolean(await chat()), { timeout: 15_000 }).toBe(true);
    const chatId = (await chat())!.id;
    await api('POST', `/api/v1/tickets/${chatId}/messages`, {
      kind: 'public_reply',
      body: hostile('agent-chat'),
    });
    await widget.locator('.msg.agent', { hasText: hostile('agent-chat') }).waitFor();
    expect(await widget.locator('.msg').allTextContents()).toEqual([
      hostile('visitor-chat'),
      hostile('agent-chat'),
    ]);
    await visitor.screenshot({ path: `${shots}/hostile-widget.png` });
    await expectInert(visitor, dialogs);
    expect(problems.unexpected()).toEqual([]);

    const agent = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const agentProblems = watchConsole(agent);
    const agentDialogs = dialogsOf(agent);
    await signInToConsole(agent, live.url, admin.email, TEST_PASSWORD);
    await agent.goto(`${live.url}/tickets/${chatId}`);
    await agent.getByText(hostile('visitor-chat')).first().waitFor();
    await expectInert(agent, agentDialogs);
    expect(agentProblems.unexpected()).toEqual([]);
    await visitor.close();
    await agent.close();
  });
});
