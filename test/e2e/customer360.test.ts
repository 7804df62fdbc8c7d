import { mkdirSync } from 'node:fs';
import { and, eq, isNotNull } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordBusinessEvent } from '../../src/crm/event-service.ts';
import { startOutreachJobs } from '../../src/crm/outreach-routes.ts';
import { addNote } from '../../src/crm/profile-service.ts';
import { createCustomer, updateCustomer } from '../../src/customers/customer-service.ts';
import { customers } from '../../src/db/schema/index.ts';
import type { Database } from '../../src/platform/db/database.ts';
import type { InlineQueue } from '../../src/platform/queue/inline-queue.ts';
import { browserAvailable, launchBrowser, signInToConsole, watchConsole } from '../support/browser.ts';
import { makeOrder } from '../support/crm-factories.ts';
import { sharedDatabase } from '../support/databases.ts';
import { makeTicket, makeUser, makeWorkspace, TEST_PASSWORD } from '../support/factories.ts';
import { type LiveApp, startLiveApp } from '../support/live-app.ts';

const shots = 'test-results/screenshots';

describe.runIf(browserAvailable())('Customer 360 and proactive campaigns in Chromium', () => {
  let database: Database;
  let live: LiveApp;
  let browser: Browser;
  let world: Awaited<ReturnType<typeof makeWorkspace>>;
  let agent: { email: string };
  let ticketId: string;
  let annId: string;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    database = await sharedDatabase('pglite');
    world = await makeWorkspace(database.db);
    const admin = world.admin.actor;
    agent = await makeUser(database.db, world.workspace.id, 'agent');
    const ticket = await makeTicket(database.db, admin, {
      subject: 'Where is my mug?',
      customer: { email: 'ann@shop.test', name: 'Ann Lee' },
    });
    ticketId = ticket.id;
    annId = ticket.customerId;
    await updateCustomer(database.db, admin, annId, { tier: 'vip' });
    await addNote(database.db, admin, annId, { body: 'Prefers phone after 5 pm', pinned: true });
    await addNote(database.db, admin, annId, { body: 'Asked about gift wrap once' });
    // Others who bought the mug also bought a spoon: that is what Ann is recommended, and why.
    await makeOrder(
      database.db,
      admin,
      'ann@shop.test',
      [
        ['MUG', 12],
        ['TEA', 8],
      ],
      { number: 'R-1001' },
    );
    await makeOrder(database.db, admin, 'bo@shop.test', ['MUG', 'SPOON']);
    await makeOrder(database.db, admin, 'cy@shop.test', ['MUG', 'SPOON']);
    // Older newsletter opens fill more than one timeline page, so the page has to load older entries.
    for (let day = 1; day <= 25; day++)
      await recordBusinessEvent(database.db, admin, {
        customer: { email: 'ann@shop.test' },
        type: 'newsletter.opened',
        occurred_at: `2026-01-${String(day).padStart(2, '0')}T09:00:00Z`,
        data: { issue: day },
      });
    // One person twice: the same address with and without a +tag.
    for (const email of ['sam@shop.test', 'sam+news@shop.test'])
      await createCustomer(database.db, admin, {
        name: 'Sam Stone',
        identities: [{ kind: 'email', value: email }],
      });
    // Two people who share a phone line: the agent says they are not one person.
    for (const [name, phone] of [
      ['Lou Park', '+44 20 7946 0001'],
      ['Max Park', '020 7946 0001'],
    ] as const)
      await createCustomer(database.db, admin, { name, identities: [{ kind: 'phone', value: phone }] });
    live = await startLiveApp(database, world.workspace.id);
    // The live app's queue is inline: campaign jobs run when the test says so, as the worker would.
    await startOutreachJobs(live.deps);
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await live?.close();
  });

  async function signedIn(email: string): Promise<{ page: Page; problems: ReturnType<typeof watchConsole> }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const problems = watchConsole(page);
    await signInToConsole(page, live.url, email, TEST_PASSWORD);
    return { page, problems };
  }

  it('shows tier, pinned notes, lifetime orders and a recommendation with its reason beside the ticket', async () => {
    const { page, problems } = await signedIn(agent.email);
    await page.goto(`${live.url}/tickets/${ticketId}`);
    const panel = page.locator('.customer-panel');
    await panel.getByText('Tier: vip').waitFor();
    await panel.getByText('Proactive messages: yes').waitFor();
    const notes = panel.getByRole('list', { name: 'Notes' });
    await expect
      .poll(() => notes.getByRole('listitem').first().textContent())
      .toContain('Prefers phone after 5 pm');
    await expect.poll(() => notes.getByRole('listitem').first().textContent()).toContain('Pinned');
    const lifetime = panel.getByRole('definition').filter({ hasText: '€' });
    await expect.poll(() => lifetime.first().textContent()).toBe('1 · €20.00');
    await panel.getByText('(1 open)').waitFor();
    await panel.getByText('Order R-1001').waitFor();
    const recommended = panel.getByRole('list', { name: 'Recommended' });
    await recommended.getByText('Item SPOON', { exact: true }).waitFor();
    await recommended.getByText('Bought Item MUG; customers who bought it also bought Item SPOON').waitFor();

    // A new note, then pinned: it moves above the older unpinned one.
    await panel.getByLabel('New note about this customer').fill('Call before noon on Fridays');
    await panel.getByRole('button', { name: 'Add customer note' }).click();
    await panel.getByRole('button', { name: 'Pin: Call before noon on Fridays' }).click();
    await panel.getByRole('button', { name: 'Unpin: Call before noon on Fridays' }).waitFor();
    const order = await notes.getByRole('listitem').allTextContents();
    expect(order.findIndex((text) => text.includes('Call before noon'))).toBeLessThan(
      order.findIndex((text) => text.includes('gift wrap')),
    );
    await page.screenshot({ path: `${shots}/customer-panel.png` });
    expect(problems.unexpected()).toEqual([]);
    await page.close();
  });

  it('opens the customer page with the timeline across tickets and business events', async () => {
    const { page, problems } = await signedIn(agent.email);
    await page.goto(`${live.url}/tickets/${ticketId}`);
    await page.getByRole('link', { name: 'Open customer page' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ann Lee' }).waitFor();
    const timeline = page.getByRole('list', { name: 'Timeline' });
    const order = timeline.getByRole('listitem').filter({ hasText: 'order.placed' });
    await order.getByText(/Order R-1001 · €20\.00 · 2 items/).waitFor();
    await timeline.getByRole('listitem').filter({ hasText: 'Where is my mug?' }).first().waitFor();
    await timeline.getByText('My order arrived with a cracked lid', { exact: false }).waitFor();
    await expect.poll(() => timeline.getByRole('listitem').count()).toBe(25);
    await page.getByRole('button', { name: 'Show older' }).click();
    await timeline.getByText('issue: 1', { exact: true }).waitFor();
    await expect.poll(() => timeline.getByRole('listitem').count()).toBe(28);
    await expect(page.getByRole('button', { name: 'Show older' }).count()).resolves.toBe(0);
    await page.screenshot({ path: `${shots}/customer-page.png`, fullPage: true });
    expect(problems.unexpected()).toEqual([]);
    await page.close();
  });

  it('reviews a suggested pair side by side and merges it into the record chosen to keep', async () => {
    const { page, problems } = await signedIn(agent.email);
    await page.getByRole('link', { name: 'Duplicate customers' }).click();
    const pair = page.getByRole('article', { name: 'Sam Stone and Sam Stone' });
    await pair.getByText('Why: same email').waitFor();
    await pair.getByText('sam+news@shop.test').waitFor();
    const keep = pair.getByRole('radio', { name: 'Keep Sam Stone' });
    await keep.nth(1).check();
    await page.screenshot({ path: `${shots}/duplicates-review.png` });
    await pair.getByRole('button', { name: 'Merge' }).click();
    await page.getByRole('status').getByText('Merged: Sam Stone kept.').waitFor();
    await pair.waitFor({ state: 'detached' });
    const merged = await database.db
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.workspaceId, world.workspace.id), isNotNull(customers.mergedIntoId)));
    expect(merged).toHaveLength(1);
    expect(problems.unexpected()).toEqual([]);
    await page.close();
  });

  it('dismisses a suggested pair as two people, lists it as dismissed, and undoes that', async () => {
    const { page, problems } = await signedIn(agent.email);
    await page.getByRole('link', { name: 'Duplicate customers' }).click();
    const pair = page.getByRole('article', { name: /^(Lou Park and Max Park|Max Park and Lou Park)$/ });
    await pair.getByText('Why: same phone').waitFor();
    const title = (await pair.getByRole('heading', { level: 2 }).textContent())!;
    await pair.getByRole('button', { name: 'Not a duplicate' }).click();
    await page
      .getByRole('status')
      .getByText(`Dismissed: ${title} are two people and will not be suggested again.`)
      .waitFor();
    await pair.waitFor({ state: 'detached' });
    const dismissed = page.getByRole('list', { name: 'Dismissed as two people' });
    await dismissed.getByText(title).waitFor();
    await page.screenshot({ path: `${shots}/duplicates-dismissed.png` });
    // A reload asks the server again: the dismissed pair stays away.
    await page.reload();
    await dismissed.getByText(title).waitFor();
    expect(await pair.count()).toBe(0);
    await dismissed.getByRole('button', { name: `Undo: ${title}` }).click();
    await page.getByRole('status').getByText(`Undone: ${title} can be suggested again.`).waitFor();
    await pair.getByText('Why: same phone').waitFor();
    await pair.getByRole('button', { name: 'Not a duplicate' }).click();
    await pair.waitFor({ state: 'detached' });
    expect(problems.unexpected()).toEqual([]);
    await page.close();
  });

  it('creates a campaign in the console; a delayed shipment makes its stats show one sent', async () => {
    const { page, problems } = await signedIn(world.admin.email);
    await page.goto(`${live.url}/admin/outreach`);
    await page.getByRole('button', { name: 'New campaign' }).click();
    const dialog = page.getByRole('dialog', { name: 'New campaign' });
    await dialog.getByLabel('Name').fill('Late shipments');
    expect(await dialog.getByLabel('Event type').inputValue()).toBe('shipment.delayed');
    await dialog.getByLabel('Subject').fill('Order {{order.number}} is running late');
    await dialog
      .getByLabel('Message')
      .fill('Hi {{customer.first_name | there}}, order {{order.number}} is late; sorry for the wait.');
    await dialog.getByLabel('Hold-out %').fill('0');
    // No quiet hours, so the message goes whatever the time the test runs at.
    await dialog.getByLabel('Quiet hours from').fill('00:00');
    await dialog.getByLabel('Quiet hours until').fill('00:00');
    await dialog.screenshot({ path: `${shots}/campaign-form.png` });
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('status').getByText('Created Late shipments.').waitFor();

    await recordBusinessEvent(database.db, world.admin.actor, {
      id: 'ship-1001',
      customer: { email: 'ann@shop.test' },
      type: 'shipment.delayed',
      data: { order_number: 'R-1001', carrier: 'PostNL' },
    });
    // The relay queues the send after commit; the job then runs as the worker role would run it.
    const queue = live.deps.queue as InlineQueue;
    await expect.poll(() => queue.runDue(), { timeout: 15_000 }).toBeGreaterThan(0);

    await page.getByRole('link', { name: 'Stats: Late shipments' }).click();
    const figures = page.getByRole('definition').first();
    await expect.poll(() => figures.textContent(), { timeout: 10_000 }).toBe('1');
    const contacted = page.getByRole('row', { name: /Contacted/ });
    await contacted.getByText('Not yet: 7 days have not passed').waitFor();
    await page.getByText('No difference yet', { exact: false }).waitFor();

    await page.getByLabel('Paste coupon codes').fill('SORRY-1\nSORRY-2, SORRY-2');
    await page.getByRole('button', { name: 'Add codes' }).click();
    await page.getByText('Added 2, 1 already there; 2 left.').waitFor();
    await page.screenshot({ path: `${shots}/campaign-stats.png`, fullPage: true });
    expect(problems.unexpected()).toEqual([]);
    await page.close();
  });
});
