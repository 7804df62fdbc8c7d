import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCanned } from '../../src/canned/canned-service.ts';
import { seedDemoWorkspace } from '../../src/demo/demo-seed.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { browserAvailable, launchBrowser, watchConsole } from '../support/browser.ts';
import { sharedDatabase } from '../support/databases.ts';
import { makeWorkspace, TEST_PASSWORD } from '../support/factories.ts';
import { type LiveApp, startLiveApp } from '../support/live-app.ts';

const shots = 'test-results/screenshots';

describe.runIf(browserAvailable())('agent console in Chromium', () => {
  let database: Database;
  let live: LiveApp;
  let browser: Browser;
  let admin: { email: string; name: string };
  let agent: { email: string; name: string; password: string };

  async function signIn(page: Page, email: string, password: string) {
    await page.goto(live.url);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-ticket-id]').first().waitFor();
  }

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    database = await sharedDatabase('pglite');
    const world = await makeWorkspace(database.db);
    admin = world.admin;
    const demo = await seedDemoWorkspace(database.db, {
      workspaceId: world.workspace.id,
      password: TEST_PASSWORD,
    });
    const maya = demo.agents[0]!;
    agent = { email: maya.email, name: maya.name, password: demo.password };
    await createCanned(database.db, world.admin.actor, {
      title: 'Replacement on its way',
      body: 'Hi {{customer.first_name}}, a replacement is on its way today.',
      shared: true,
    });
    live = await startLiveApp(database, world.workspace.id);
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await live?.close();
  });

  it('signs in to a living inbox, opens a ticket, replies, notes and uses a canned response', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watchConsole(page);
    await signIn(page, admin.email, TEST_PASSWORD);
    await page.getByRole('link', { name: /^All open/ }).click();
    await page.getByRole('heading', { name: 'All open' }).waitFor();
    await page.screenshot({ path: `${shots}/inbox.png` });

    await page.locator('[data-ticket-id] .subject-link').first().click();
    await page.getByRole('form', { name: 'Write a message' }).waitFor();
    await page.screenshot({ path: `${shots}/ticket.png` });

    await page.getByRole('button', { name: /^Reply/ }).click();
    await page.locator('#composer-body').fill('Thanks for waiting: I have sent a replacement.');
    await page.getByRole('button', { name: /^Send/ }).first().click();
    // The Assist panel's summary quotes the thread too: look in the timeline.
    await page
      .locator('.message-text', { hasText: 'Thanks for waiting: I have sent a replacement.' })
      .waitFor();

    await page.getByRole('button', { name: /^Internal note/ }).click();
    await page.locator('#composer-body').fill('Checked the warehouse stock first.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.locator('.message-text', { hasText: 'Checked the warehouse stock first.' }).waitFor();

    await page.getByRole('button', { name: /^Reply/ }).click();
    await page.getByRole('button', { name: 'Canned responses' }).click();
    await page.getByRole('button', { name: /Replacement on its way/ }).click();
    // The response is rendered by the server for this ticket before it lands in the draft.
    await expect
      .poll(() => page.locator('#composer-body').inputValue())
      .toMatch(/^Hi \S+, a replacement is on its way today\.$/);
    const body = await page.locator('#composer-body').inputValue();
    expect(body).not.toContain('{{');
    expect(problems.unexpected()).toEqual([]);
  });

  it('shows two agents each other’s presence and changes live', async () => {
    const first = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    const second = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    const problems = [watchConsole(first), watchConsole(second)];
    await signIn(first, admin.email, TEST_PASSWORD);
    await signIn(second, agent.email, agent.password);
    await first.getByRole('link', { name: /^All open/ }).click();
    await first.locator('[data-ticket-id] .subject-link').nth(1).click();
    await first.getByRole('form', { name: 'Write a message' }).waitFor();
    await second.goto(first.url());
    await second.getByRole('form', { name: 'Write a message' }).waitFor();

    await first.getByText(`${agent.name} is viewing this ticket`).waitFor();
    await second.getByText(`${admin.name} is viewing this ticket`).waitFor();
    await second.locator('#composer-body').pressSequentially('Looking into it');
    await first.getByText(`${agent.name} is typing…`).waitFor();

    await second.getByLabel('Priority').selectOption('urgent');
    await expect.poll(() => first.getByLabel('Priority').inputValue(), { timeout: 15_000 }).toBe('urgent');
    await first.screenshot({ path: `${shots}/collision.png` });
    for (const watcher of problems) expect(watcher.unexpected()).toEqual([]);
  });

  it('applies a bulk status change to selected tickets', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watchConsole(page);
    await signIn(page, admin.email, TEST_PASSWORD);
    await page.getByRole('link', { name: /^All open/ }).click();
    const rows = page.locator('[data-ticket-id]');
    await rows.first().waitFor();
    const ids = [
      await rows.nth(0).getAttribute('data-ticket-id'),
      await rows.nth(1).getAttribute('data-ticket-id'),
    ];
    for (const id of ids) await page.locator(`[data-ticket-id="${id}"] input[type=checkbox]`).check();
    await page.getByRole('combobox', { name: 'Set status…' }).selectOption('on_hold');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('Updated 2 tickets').waitFor();
    for (const id of ids) {
      await expect
        .poll(() => page.locator(`[data-ticket-id="${id}"] .cell.status .pill`).textContent())
        .toBe('On hold');
    }
    expect(problems.unexpected()).toEqual([]);
  });
});
