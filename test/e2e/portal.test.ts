import { mkdirSync } from 'node:fs';
import { and, eq, like } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages, outboundEmails, tickets } from '../../src/db/schema/index.ts';
import { createField } from '../../src/fields/field-service.ts';
import { createArticle } from '../../src/kb/kb-service.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { addMessage } from '../../src/tickets/message-service.ts';
import { updateContactFormSettings } from '../../src/webform/webform-settings.ts';
import { browserAvailable, launchBrowser, watchConsole } from '../support/browser.ts';
import { sharedDatabase } from '../support/databases.ts';
import { makeWorkspace } from '../support/factories.ts';
import { type LiveApp, startLiveApp } from '../support/live-app.ts';

const shots = 'test-results/screenshots';

describe.runIf(browserAvailable())('contact form and customer portal in Chromium', () => {
  let database: Database;
  let live: LiveApp;
  let browser: Browser;
  let world: Awaited<ReturnType<typeof makeWorkspace>>;
  let help: string;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    database = await sharedDatabase('pglite');
    world = await makeWorkspace(database.db);
    await createField(database.db, world.admin.actor, {
      entity: 'ticket',
      key: 'order_number',
      label: 'Order number',
      type: 'text',
      required: true,
    });
    await createArticle(database.db, world.admin.actor, {
      title: 'Replace a cracked lid',
      body: 'Send us a photo of the cracked lid and we post a new one.',
      status: 'published',
    });
    // A little proof-of-work, so the page's hashcash really runs in the browser.
    await updateContactFormSettings(database.db, world.admin.actor, { powBits: 10 });
    live = await startLiveApp(database, world.workspace.id);
    help = `${live.url}/help/${world.workspace.slug}`;
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await live?.close();
  });

  it('sends the contact form: articles offered while typing, proof-of-work solved, a web ticket opened', async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
    const problems = watchConsole(page);
    await page.goto(`${help}/contact`);
    await page.getByLabel('Your name').fill('Casey Customer');
    await page.getByLabel('Email').fill('casey@example.test');
    await page.getByLabel('Subject').pressSequentially('cracked lid');
    await page.getByRole('link', { name: 'Replace a cracked lid' }).waitFor();
    await page.getByLabel('How can we help?').fill('The lid of my kettle cracked.');
    await page.getByLabel('Order number').fill('A-77');
    await page.getByLabel('Files (optional, up to 5)').setInputFiles({
      name: 'lid.png',
      mimeType: 'image/png',
      buffer: Buffer.from('png'),
    });
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText(/We got your request #\d+/).waitFor();
    await page.screenshot({ path: `${shots}/contact-sent.png` });
    const [ticket] = await database.db
      .select()
      .from(tickets)
      .where(eq(tickets.workspaceId, world.workspace.id));
    expect(ticket).toMatchObject({
      channel: 'web',
      subject: 'cracked lid',
      customFields: { order_number: 'A-77' },
    });
    expect(problems.unexpected()).toEqual([]);
  });

  it('signs in by emailed link, shows the ticket and takes a reply', async () => {
    const [ticket] = await database.db
      .select()
      .from(tickets)
      .where(eq(tickets.workspaceId, world.workspace.id));
    await addMessage(database.db, world.admin.actor, ticket!.id, {
      kind: 'public_reply',
      body: 'Sorry about that! A new lid is on its way.',
    });
    const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
    const problems = watchConsole(page);
    await page.goto(`${help}/portal`);
    await page.getByLabel('Email').fill('casey@example.test');
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page.getByText('Check your email').first().waitFor();
    const [mail] = await database.db
      .select()
      .from(outboundEmails)
      .where(
        and(
          eq(outboundEmails.workspaceId, world.workspace.id),
          like(outboundEmails.dedupeKey, 'portal-link:%'),
        ),
      );
    const link = /(http\S+\/enter\?t=\S+)/.exec(mail!.bodyText)![1]!;
    await page.goto(link);
    await page.getByRole('button', { name: 'Continue to your requests' }).click();
    await page.getByRole('link', { name: `#${ticket!.number} cracked lid` }).click();
    await page.getByText('Sorry about that! A new lid is on its way.').waitFor();
    await page.getByLabel('Your reply').fill('Thank you, it arrived.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.locator('article.msg.mine', { hasText: 'Thank you, it arrived.' }).waitFor();
    await page.screenshot({ path: `${shots}/portal-ticket.png` });
    const rows = await database.db.select().from(messages).where(eq(messages.ticketId, ticket!.id));
    expect(rows.find((row) => row.bodyText === 'Thank you, it arrived.')).toMatchObject({
      kind: 'customer_message',
      channel: 'web',
    });
    expect(problems.unexpected()).toEqual([]);
  });
});
