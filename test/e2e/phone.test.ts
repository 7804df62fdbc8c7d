import { mkdirSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/channels/account-service.ts';
import { requestCallback } from '../../src/channels/callback-service.ts';
import { callbackRequests, messagingMessages, messagingThreads } from '../../src/db/schema/index.ts';
import type { Actor } from '../../src/platform/auth/actor.ts';
import { createSecretBox } from '../../src/platform/crypto.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { addMessage } from '../../src/tickets/message-service.ts';
import { browserAvailable, launchBrowser, signInToConsole, watchConsole } from '../support/browser.ts';
import { sharedDatabase } from '../support/databases.ts';
import { makeTicket, makeUser, makeWorkspace, TEST_PASSWORD } from '../support/factories.ts';
import { type LiveApp, startLiveApp } from '../support/live-app.ts';

const shots = 'test-results/screenshots';

/**
 * A WhatsApp ticket whose agent reply the platform reported delivered, written before the live app
 * starts: its relay then finds the delivery row there already and sends nothing.
 */
async function deliveredWhatsappReply(database: Database, actor: Actor) {
  const account = await createAccount(database.db, createSecretBox(Buffer.alloc(32, 3)), actor, {
    kind: 'whatsapp',
    name: 'WhatsApp',
    secret: 'app-secret',
    token: 'token',
    verifyToken: 'verify',
    settings: { phoneNumberId: 'PHONE_1', apiBase: 'https://graph.example.test' },
  });
  const ticket = await makeTicket(database.db, actor, {
    subject: 'Where is my order?',
    channel: 'social',
    customer: { phone: '+15551230000', name: 'Wendy Whats' },
  });
  const [thread] = await database.db
    .insert(messagingThreads)
    .values({
      workspaceId: actor.workspaceId,
      accountId: account.id,
      externalId: '15551230000',
      customerId: ticket.customerId,
      ticketId: ticket.id,
    })
    .returning();
  const { message } = await addMessage(database.db, actor, ticket.id, {
    kind: 'public_reply',
    body: 'It ships tomorrow.',
  });
  await database.db.insert(messagingMessages).values({
    workspaceId: actor.workspaceId,
    accountId: account.id,
    threadId: thread!.id,
    messageId: message.id,
    direction: 'outbound',
    status: 'delivered',
    externalId: 'wamid.OUT1',
    attempts: 1,
  });
  return ticket.id;
}

describe.runIf(browserAvailable())('phone calls in the console in Chromium', () => {
  let database: Database;
  let live: LiveApp;
  let browser: Browser;
  let agent: { email: string };
  let ticketId: string;
  let socialTicketId: string;
  let world: Awaited<ReturnType<typeof makeWorkspace>>;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    database = await sharedDatabase('pglite');
    world = await makeWorkspace(database.db);
    agent = await makeUser(database.db, world.workspace.id, 'agent');
    const ticket = await makeTicket(database.db, world.admin.actor, {
      subject: 'Invoice charged twice',
      customer: { email: 'noor@example.test', phone: '+44 20 7946 0958', name: 'Noor Haddad' },
    });
    ticketId = ticket.id;
    await requestCallback(database.db, world.admin.actor, {
      phone: '+44 20 7946 0958',
      preferredTime: '2031-03-04T16:30',
      timeZone: 'Europe/London',
      notes: 'About the double charge',
    });
    await requestCallback(database.db, world.admin.actor, {
      phone: '+1 212 555 0100',
      name: 'Sam Rivera',
      preferredTime: '2031-03-05T09:00',
      timeZone: 'America/New_York',
      notes: 'Wants to upgrade the plan',
    });
    socialTicketId = await deliveredWhatsappReply(database, world.admin.actor);
    live = await startLiveApp(database, world.workspace.id);
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await live?.close();
  });

  it('logs a call from the ticket: it shows on the timeline and in the customer panel', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchConsole(page);
    await signInToConsole(page, live.url, agent.email, TEST_PASSWORD);
    await page.goto(`${live.url}/tickets/${ticketId}`);
    const customer = page.getByRole('region', { name: 'Noor Haddad' });
    await customer
      .getByRole('list', { name: 'Waiting call backs' })
      .getByText('Call back +44 20 7946 0958')
      .waitFor();
    await customer.getByText('No calls logged yet.').waitFor();
    await customer.getByRole('button', { name: 'Log a call' }).click();

    const dialog = page.getByRole('dialog', { name: /Log a call on #/ });
    await expect.poll(() => dialog.getByLabel('Phone number').inputValue()).toBe('+442079460958');
    await dialog.getByLabel('Outbound').check();
    await dialog.getByLabel('Minutes').fill('3');
    await dialog.getByLabel('Seconds').fill('12');
    await dialog.getByLabel('Outcome').selectOption('answered');
    await dialog.getByLabel('Recording URL (optional)').fill('https://recordings.example.test/call-1.mp3');
    await dialog.getByLabel('Notes').fill('Refund of the second charge promised within 5 days.');
    await page.screenshot({ path: `${shots}/phone-log-dialog.png` });
    await dialog.getByRole('button', { name: 'Log call' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const timeline = page.getByRole('list', { name: 'Conversation' });
    const note = timeline.getByRole('article').filter({ hasText: 'Outbound call to +442079460958' });
    await note.getByText('Outbound call to +442079460958 · 3m 12s · answered').waitFor();
    await note.getByText('Refund of the second charge promised within 5 days.').waitFor();
    expect(await note.getByRole('link', { name: 'Open recording' }).getAttribute('href')).toBe(
      'https://recordings.example.test/call-1.mp3',
    );
    await customer.getByText('Outbound · +442079460958 · 3m 12s').waitFor();

    // The call back is marked called from the panel, and leaves the queue page too.
    await customer.getByRole('button', { name: 'Mark called' }).click();
    await customer.getByRole('list', { name: 'Waiting call backs' }).waitFor({ state: 'detached' });
    await page.screenshot({ path: `${shots}/phone-call-logged.png` });
    expect(problems.unexpected()).toEqual([]);
  });

  it('lists call backs with the time on the customer’s clock, each marked called or cancelled', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchConsole(page);
    await signInToConsole(page, live.url, agent.email, TEST_PASSWORD);
    await page.getByRole('link', { name: 'Call backs' }).click();
    await page.getByRole('heading', { name: 'Call backs' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: '+1 212 555 0100' });
    await row.getByText(/09:00 their time \(America\/New_York\)/).waitFor();
    await row.getByText('Wants to upgrade the plan').waitFor();
    await row.getByRole('link', { name: /Callback requested: \+1 212 555 0100/ }).waitFor();
    await page.screenshot({ path: `${shots}/phone-callbacks.png` });
    await row.getByRole('button', { name: 'Cancel' }).click();
    await row.waitFor({ state: 'detached' });
    await page.getByLabel('Show').selectOption('cancelled');
    await page.getByRole('row').filter({ hasText: '+1 212 555 0100' }).waitFor();
    expect(problems.unexpected()).toEqual([]);
  });

  it("shows a WhatsApp reply's delivery state under it", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchConsole(page);
    await signInToConsole(page, live.url, agent.email, TEST_PASSWORD);
    await page.goto(`${live.url}/tickets/${socialTicketId}`);
    const reply = page.getByRole('article').filter({ hasText: 'It ships tomorrow.' });
    await reply.getByRole('status').getByText('Delivered').waitFor();
    expect(problems.unexpected()).toEqual([]);
  });

  it('asks for a call back on the contact form at a time on the visitor’s own clock', async () => {
    const context = await browser.newContext({
      viewport: { width: 1024, height: 900 },
      timezoneId: 'Asia/Tokyo',
    });
    const page = await context.newPage();
    const problems = watchConsole(page);
    await page.goto(`${live.url}/help/${world.workspace.slug}/contact`);
    await expect.poll(() => page.getByLabel('Phone number').isVisible()).toBe(false);
    await page.getByLabel('Your name').fill('Kenji Sato');
    await page.getByLabel('Email').fill('kenji@example.test');
    await page.getByLabel('Subject').fill('Change my delivery address');
    await page.getByLabel('How can we help?').fill('I moved last week.');
    await page.getByLabel('Call me back by phone').check();
    await page.getByText('(Asia/Tokyo)').waitFor();
    await page.getByLabel('Phone number').fill('+81 3 1234 5678');
    await page.getByLabel(/Best time to call/).fill('2031-03-06T10:15');
    await page.screenshot({ path: `${shots}/phone-contact-callback.png` });
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText(/We got your request #\d+/).waitFor();
    const [queued] = await database.db
      .select()
      .from(callbackRequests)
      .where(eq(callbackRequests.phone, '+81 3 1234 5678'));
    expect(queued).toMatchObject({ timeZone: 'Asia/Tokyo', status: 'pending' });
    expect(queued!.preferredAt.toISOString()).toBe('2031-03-06T01:15:00.000Z');
    expect(problems.unexpected()).toEqual([]);
    await context.close();
  });
});
