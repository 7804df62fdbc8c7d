import { mkdirSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrigger } from '../../src/automation/trigger-service.ts';
import { ticketSlas, triggers } from '../../src/db/schema/index.ts';
import type { Database } from '../../src/platform/db/database.ts';
import type { InlineQueue } from '../../src/platform/queue/inline-queue.ts';
import { browserAvailable, launchBrowser, signInToConsole, watchConsole } from '../support/browser.ts';
import { sharedDatabase } from '../support/databases.ts';
import { makeTicket, makeWorkspace, TEST_PASSWORD } from '../support/factories.ts';
import { type LiveApp, startLiveApp } from '../support/live-app.ts';

declare module '../../src/platform/queue/queue.ts' {
  interface JobTypes {
    'test.console-flaky': { workspaceId: string };
  }
}

const shots = 'test-results/screenshots';
const minutes = (n: number) => new Date(Date.now() + n * 60_000);

describe.runIf(browserAvailable())('triggers, SLA policies and SLA badges in Chromium', () => {
  let database: Database;
  let live: LiveApp;
  let browser: Browser;
  let page: Page;
  let problems: ReturnType<typeof watchConsole>;
  let admin: { email: string };
  let workspaceId: string;
  const tickets = {
    refund: { id: '', number: 0 },
    late: { id: '', number: 0 },
    running: { id: '', number: 0 },
  };

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    database = await sharedDatabase('pglite');
    const world = await makeWorkspace(database.db);
    admin = world.admin;
    workspaceId = world.workspace.id;
    await createTrigger(database.db, world.admin.actor, {
      name: 'Tag VIPs',
      events: ['ticket.created'],
      conditions: { all: [{ field: 'subject', op: 'contains', value: 'vip' }] },
      actions: [{ type: 'add_tags', tags: ['vip'] }],
    });
    const make = async (subject: string) => {
      const ticket = await makeTicket(database.db, world.admin.actor, { subject });
      return { id: ticket.id, number: ticket.number };
    };
    tickets.refund = await make('Refund for a broken kettle');
    tickets.late = await make('Still waiting for an answer');
    tickets.running = await make('Question about sizes');
    // Clocks as the SLA engine leaves them: one breached two hours ago, one with 42 minutes left.
    const clock = (ticketId: string, startedAt: Date, dueAt: Date, breachedAt: Date | null) => ({
      workspaceId: world.workspace.id,
      ticketId,
      metric: 'first_reply' as const,
      targetMinutes: 60,
      startedAt,
      runningSince: startedAt,
      dueAt,
      breachedAt,
      warnedAt: breachedAt,
    });
    await database.db
      .insert(ticketSlas)
      .values([
        clock(tickets.late.id, minutes(-180), minutes(-120), minutes(-120)),
        clock(tickets.running.id, minutes(-18), minutes(42), null),
      ]);
    live = await startLiveApp(database, world.workspace.id);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    problems = watchConsole(page);
    await signInToConsole(page, live.url, admin.email, TEST_PASSWORD);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await live?.close();
  });

  it('creates a trigger, dry-runs it, switches it on and moves it up', async () => {
    await page.goto(`${live.url}/admin/triggers`);
    await page.getByRole('button', { name: 'New trigger' }).click();
    const dialog = page.getByRole('dialog', { name: 'New trigger' });
    await dialog.getByLabel('Name').fill('Refunds to billing');
    await dialog.getByRole('button', { name: 'Add an “all” condition' }).click();
    await dialog.getByLabel('Condition all 1 operator').selectOption('contains');
    await dialog.getByLabel('Condition all 1 value').fill('refund');
    await dialog.getByLabel('Action 1 value').fill('billing');
    await dialog.screenshot({ path: `${shots}/trigger-form.png` });
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('status').getByText('Trigger Refunds to billing created.').waitFor();

    const row = page.getByRole('row').filter({ hasText: 'Refunds to billing' });
    const active = page.getByRole('switch', { name: 'Active: Refunds to billing' });
    expect(await active.isChecked()).toBe(false);
    expect(await row.getByRole('cell').first().textContent()).toBe('2');

    await page.getByRole('button', { name: 'Dry run: Refunds to billing' }).click();
    const dryRun = page.getByRole('dialog', { name: 'Dry run: Refunds to billing' });
    await dryRun.getByText('1 of the last 3 tickets would match.').waitFor();
    const matches = dryRun.getByRole('list', { name: 'Matching tickets' });
    await matches.getByRole('link', { name: `#${tickets.refund.number}` }).waitFor();
    await matches.getByText('tags → billing').waitFor();
    await dryRun.screenshot({ path: `${shots}/trigger-dry-run.png` });
    await dryRun.getByRole('button', { name: 'Close' }).click();

    // The switch shows the server's answer, which may come after Playwright's check() looks again.
    await active.click();
    await page.getByRole('status').getByText('Refunds to billing is on.').waitFor();
    await expect.poll(() => active.isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Move up: Refunds to billing' }).click();
    await page.getByRole('status').getByText('Refunds to billing now runs in place 1.').waitFor();
    expect(await row.getByRole('cell').first().textContent()).toBe('1');
    expect(await page.getByRole('button', { name: 'Move up: Refunds to billing' }).isDisabled()).toBe(true);
    expect(await active.isChecked()).toBe(true);
    await page.screenshot({ path: `${shots}/triggers-list.png` });

    // A server refusal is shown as the server said it (problem+json).
    await page.getByRole('button', { name: 'Edit: Refunds to billing' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit trigger' });
    await edit.getByLabel('Condition all 1 operator').selectOption('matches');
    await edit.getByLabel('Condition all 1 value').fill('(');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit
      .getByRole('alert')
      .getByText(/not a valid regular expression/)
      .waitFor();
    await edit.getByRole('button', { name: 'Save' }).press('Escape');
    expect(problems.unexpected().filter((text) => !/400/.test(text))).toEqual([]);
  });

  it('builds a trigger on business events with a condition on the event type', async () => {
    await page.goto(`${live.url}/admin/triggers`);
    await page.getByRole('button', { name: 'New trigger' }).click();
    const dialog = page.getByRole('dialog', { name: 'New trigger' });
    await dialog.getByLabel('Name').fill('Late parcels');
    await dialog.getByLabel('Ticket created').uncheck();
    await dialog.getByLabel('Business event (order, shipment, payment…)').check();
    await dialog.getByRole('button', { name: 'Add an “all” condition' }).click();
    await dialog.getByLabel('Condition all 1 field').selectOption('business_event');
    await dialog.getByLabel('Condition all 1 operator').selectOption('is');
    await dialog.getByLabel('Condition all 1 value').fill('shipment.delayed');
    await dialog.getByLabel('Action 1 value').fill('delayed');
    await dialog.screenshot({ path: `${shots}/trigger-business-event.png` });
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('status').getByText('Trigger Late parcels created.').waitFor();
    const [saved] = await database.db
      .select()
      .from(triggers)
      .where(and(eq(triggers.workspaceId, workspaceId), eq(triggers.name, 'Late parcels')));
    expect(saved).toMatchObject({
      events: ['customer.event'],
      conditions: { all: [{ field: 'business_event', op: 'is', value: 'shipment.delayed' }] },
    });
  });

  it('edits SLA policies: targets, channels and pausing', async () => {
    await page.goto(`${live.url}/admin/sla`);
    await page.getByRole('button', { name: 'New SLA policy' }).click();
    const dialog = page.getByRole('dialog', { name: 'New SLA policy' });
    await dialog.getByLabel('Name').fill('Low priority email');
    await dialog.getByRole('checkbox', { name: 'Low' }).check();
    await dialog.getByRole('checkbox', { name: 'Email' }).check();
    await dialog.getByLabel('First reply').fill('240');
    await dialog.getByLabel('Resolution').fill('2880');
    await dialog.screenshot({ path: `${shots}/sla-policy-form.png` });
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('status').getByText('SLA policy Low priority email created.').waitFor();
    const row = page.getByRole('row').filter({ hasText: 'Low priority email' });
    await row.getByText('Low · Email').waitFor();
    await row.getByText('4 h · – · 48 h').waitFor();
    await page.screenshot({ path: `${shots}/sla-policies.png` });
  });

  it('shows breached and running SLA clocks in the inbox, the ticket and the SLA views', async () => {
    await page.goto(`${live.url}/inbox/open`);
    const row = (ticket: { id: string }) => page.locator(`[data-ticket-id="${ticket.id}"]`);
    await row(tickets.late).getByText('Breached 2 h ago', { exact: true }).waitFor();
    expect(await row(tickets.late).locator('.sla-badge').getAttribute('title')).toBe(
      'First reply breached 2 h ago',
    );
    await row(tickets.running)
      .getByText(/^4[12] min left$/)
      .waitFor();
    expect(await row(tickets.refund).locator('.sla-badge').count()).toBe(0);
    await page.screenshot({ path: `${shots}/inbox-sla-badges.png` });

    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Breached' }).click();
    await page.getByRole('heading', { name: 'Breached' }).waitFor();
    await row(tickets.late).waitFor();
    await expect.poll(() => page.locator('[data-ticket-id]').count()).toBe(1);
    await page.screenshot({ path: `${shots}/inbox-breached-view.png` });
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('link', { name: 'Breaching soon' })
      .click();
    await page.getByRole('heading', { name: 'Breaching soon' }).waitFor();
    await row(tickets.running).waitFor();
    await expect.poll(() => page.locator('[data-ticket-id]').count()).toBe(1);

    await page.goto(`${live.url}/tickets/${tickets.late.id}`);
    const sla = page.getByRole('region', { name: 'SLA', exact: true });
    await sla.getByText('First reply breached 2 h ago').waitFor();
    await page.screenshot({ path: `${shots}/ticket-sla-breached.png` });
    await page.goto(`${live.url}/tickets/${tickets.running.id}`);
    await sla.getByText(/^First reply in 4[12] min$/).waitFor();
    await page.screenshot({ path: `${shots}/ticket-sla-running.png` });
    expect(problems.unexpected().filter((text) => !/400/.test(text))).toEqual([]);
  });

  it('lists a failed background job with its reason and runs it again from the console', async () => {
    const queue = live.deps.queue as InlineQueue;
    let healthy = false;
    await queue.work('test.console-flaky', async () => {
      if (!healthy) throw new Error('mailbox unreachable');
    });
    await queue.send('test.console-flaky', { workspaceId }, { retryLimit: 0 });
    await queue.runDue();
    await page.goto(`${live.url}/admin/jobs`);
    const row = page.getByRole('row').filter({ hasText: 'test.console-flaky' });
    await row.getByText('Failed').waitFor();
    await row.getByText('mailbox unreachable').waitFor();
    await page.screenshot({ path: `${shots}/jobs.png` });
    healthy = true;
    await page.getByRole('button', { name: 'Retry: test.console-flaky' }).click();
    await page.getByRole('status').getByText('test.console-flaky queued to run again.').waitFor();
    expect(await queue.runDue()).toBe(1);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByText('No jobs waiting or failed.').waitFor();
  });
});
