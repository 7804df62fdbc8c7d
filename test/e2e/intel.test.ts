import { mkdirSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intelTriageFeedback } from '../../src/db/schema/index.ts';
import { saveTriageSettings } from '../../src/intel/triage-settings.ts';
import { trainFull } from '../../src/intel/triage-training.ts';
import { systemClock } from '../../src/platform/clock.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { createInlineQueue } from '../../src/platform/queue/inline-queue.ts';
import { addMessage } from '../../src/tickets/message-service.ts';
import { browserAvailable, launchBrowser, signInToConsole, watchConsole } from '../support/browser.ts';
import { sharedDatabase } from '../support/databases.ts';
import { makeTicket, makeWorkspace, TEST_PASSWORD } from '../support/factories.ts';
import { makeHelpArticles } from '../support/kb-factories.ts';
import { type LiveApp, startLiveApp } from '../support/live-app.ts';
import { makeLabelledHistory } from '../support/triage-history.ts';

const shots = 'test-results/screenshots';

describe.runIf(browserAvailable())('reply coach and assist panel in Chromium', () => {
  let database: Database;
  let live: LiveApp;
  let browser: Browser;
  let admin: { email: string };
  let openId: string;
  let solvedNumber: number;
  let chargedId: string;
  let workspaceId: string;
  const solvedReply = 'Hi Mary, I have reissued your refund today; it reaches your card within 5 days.';

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    database = await sharedDatabase('pglite');
    const world = await makeWorkspace(database.db);
    admin = world.admin;
    const solved = await makeTicket(database.db, world.admin.actor, {
      subject: 'Refund not received',
      customer: { email: 'mary@example.test', name: 'Mary Smith' },
      message: { body: 'I returned the blender three weeks ago and the refund is still not on my card.' },
    });
    await addMessage(database.db, world.admin.actor, solved.id, {
      kind: 'public_reply',
      body: solvedReply,
      status: 'solved',
    });
    solvedNumber = solved.number;
    const open = await makeTicket(database.db, world.admin.actor, {
      subject: 'Where is my refund?',
      customer: { email: 'jo@example.test', name: 'Jo Bloggs' },
      message: {
        body: 'This is the THIRD time I ask. I sent the kettle back and the refund is still not on my card!!',
      },
    });
    openId = open.id;
    workspaceId = world.workspace.id;
    await makeHelpArticles(database.db, world.admin.actor);
    // Triage learns the labelled history and files only what it is nearly sure of.
    await makeLabelledHistory(database.db, world.admin.actor);
    await saveTriageSettings(database.db, createInlineQueue(systemClock), world.admin.actor, {
      source: { kind: 'field', key: 'category' },
      threshold: 0.99,
    });
    await trainFull(database.db, world.workspace.id);
    const charged = await makeTicket(database.db, world.admin.actor, {
      subject: 'Charged twice',
      customer: { email: 'sam@example.test', name: 'Sam Lee' },
      message: { body: 'You charged my card twice for the same invoice. What is your refund policy?' },
    });
    chargedId = charged.id;
    live = await startLiveApp(database, world.workspace.id);
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await live?.close();
  });

  it('flags policy-speak as the agent types, fixes it in one click, and reuses a similar reply', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchConsole(page);
    await signInToConsole(page, live.url, admin.email, TEST_PASSWORD);
    await page.goto(`${live.url}/tickets/${openId}`);
    await page.getByRole('form', { name: 'Write a message' }).waitFor();

    const composer = page.locator('#composer-body');
    await composer.pressSequentially('Per our policy, refunds take 10 days.');
    const coach = page.getByRole('region', { name: 'Reply coach' });
    await coach.getByText('“Per our policy” is jargon or policy-speak.').waitFor();
    // The customer is upset and the draft does not say so.
    await coach.getByText('The customer sounds upset: acknowledge how they feel.').waitFor();
    await page.screenshot({ path: `${shots}/coach.png` });
    await coach.getByRole('button', { name: 'Use “normally”' }).click();
    expect(await composer.inputValue()).toBe('Normally, refunds take 10 days.');
    await expect.poll(() => coach.getByText('“Per our policy” is jargon or policy-speak.').count()).toBe(0);
    await coach.getByRole('button', { name: 'Add an acknowledgement' }).click();
    expect(await composer.inputValue()).toMatch(
      /^I'm sorry for the trouble.*Normally, refunds take 10 days\.$/,
    );

    const assist = page.getByRole('region', { name: 'Assist' });
    await assist.getByText('Customer writes in English').waitFor();
    await assist.getByRole('link', { name: `#${solvedNumber} Refund not received` }).waitFor();
    await assist.getByRole('button', { name: `Use the reply of #${solvedNumber} as draft` }).click();
    await expect.poll(() => composer.inputValue()).toBe(solvedReply.replace('Mary', 'Jo'));
    await coach.getByText(/Reply score 100 of 100|Reply score \d+ of 100/).waitFor();
    await page.screenshot({ path: `${shots}/assist.png` });
    expect(problems.unexpected()).toEqual([]);
  });

  it("shows the mood, offers articles to insert, and takes the agent's verdict on triage", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const problems = watchConsole(page);
    await signInToConsole(page, live.url, admin.email, TEST_PASSWORD);

    // The angry repeat message of the first ticket reads as negative and frustrated in the header.
    await page.goto(`${live.url}/tickets/${openId}`);
    await page
      .locator('.ticket-meta [data-mood="negative"]')
      .getByText(/Negative.*frustrated/)
      .waitFor();

    await page.goto(`${live.url}/tickets/${chargedId}`);
    const assist = page.getByRole('region', { name: 'Assist' });
    // The relay triages the new ticket after commit; this plain billing question clears the threshold.
    const triage = assist.locator('[data-triage-state]');
    await expect.poll(() => triage.getAttribute('data-triage-state'), { timeout: 30_000 }).toBe('applied');
    await triage.getByText('billing', { exact: true }).waitFor();
    await triage.getByText(/filed by triage \(\d+% sure\)/).waitFor();
    await expect.poll(() => page.locator('#field-category').inputValue()).toBe('billing');

    const composer = page.locator('#composer-body');
    await composer.fill('Hi Sam, sorry about the double charge.');
    await assist.getByRole('button', { name: 'Insert a link to “Refund policy”' }).click();
    await expect
      .poll(() => composer.inputValue())
      .toMatch(
        /^Hi Sam, sorry about the double charge\.\n\nRefund policy: http:\/\/.+\/help\/.+refund-policy/,
      );
    await assist.getByRole('button', { name: 'Insert the excerpt of “Refund policy”' }).click();
    await expect.poll(() => composer.inputValue()).toContain('Money goes back to your card within 5 days');
    await page.screenshot({ path: `${shots}/assist-articles.png` });

    // The agent disagrees: the correction refiles the ticket and is kept for the model's next update.
    await triage.getByLabel('Correct category').selectOption('delivery');
    await triage.getByRole('button', { name: 'Correct' }).click();
    await expect.poll(() => triage.getAttribute('data-triage-state')).toBe('corrected');
    await expect.poll(() => page.locator('#field-category').inputValue()).toBe('delivery');
    await expect
      .poll(async () =>
        (
          await database.db
            .select()
            .from(intelTriageFeedback)
            .where(
              and(
                eq(intelTriageFeedback.workspaceId, workspaceId),
                eq(intelTriageFeedback.ticketId, chargedId),
              ),
            )
        ).map((row) => row.category),
      )
      .toEqual(['delivery']);
    await page.screenshot({ path: `${shots}/assist-triage.png` });

    // The inbox marks the unhappy conversation in its row.
    await page.getByRole('link', { name: /All open/ }).click();
    await page
      .locator(`[data-ticket-id="${chargedId}"] [data-mood="negative"]`)
      .getByText('Negative')
      .waitFor();
    await page.screenshot({ path: `${shots}/inbox-mood.png` });
    expect(problems.unexpected()).toEqual([]);
  });
});
