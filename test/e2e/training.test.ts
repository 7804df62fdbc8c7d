import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.ts';
import { browserAvailable, launchBrowser, signInToConsole, watchConsole } from '../support/browser.ts';
import { sharedDatabase } from '../support/databases.ts';
import { makeTicket, makeUser, makeWorkspace, TEST_PASSWORD } from '../support/factories.ts';
import { type LiveApp, startLiveApp } from '../support/live-app.ts';

const shots = 'test-results/screenshots';

describe.runIf(browserAvailable())('role-play training in Chromium', () => {
  let database: Database;
  let live: LiveApp;
  let browser: Browser;
  let agent: { email: string };

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    database = await sharedDatabase('pglite');
    const world = await makeWorkspace(database.db);
    agent = await makeUser(database.db, world.workspace.id, 'agent');
    await makeTicket(database.db, world.admin.actor);
    live = await startLiveApp(database, world.workspace.id);
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await live?.close();
  });

  it('plays a scenario in the composer, with the coach, through to a passing scorecard', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchConsole(page);
    await signInToConsole(page, live.url, agent.email, TEST_PASSWORD);
    await page.getByRole('link', { name: 'Training' }).click();
    await page.getByRole('button', { name: 'Start Where is my parcel?' }).click();
    const transcript = page.getByRole('list', { name: 'Where is my parcel?' });
    await transcript.getByText("Hi, my order still hasn't arrived").waitFor();

    const composer = page.locator('#composer-body');
    await composer.fill('Could you send me your order number?');
    // The same reply coach as on tickets: the customer is upset about a birthday present.
    const coach = page.getByRole('region', { name: 'Reply coach' });
    await coach.getByText(/Reply score/).waitFor();
    await page.getByRole('button', { name: 'Send' }).click();
    await transcript.getByText('It is order 48213.').waitFor();
    await composer.fill("I'm so sorry it's late. When do you need it by?");
    await composer.press('Control+Enter');
    await transcript.getByText('The birthday is this Saturday.').waitFor();
    await composer.fill("I've sent a replacement by express today; it arrives within 2 business days.");
    await page.getByRole('button', { name: 'Send' }).click();

    const card = page.getByRole('region', { name: 'Scorecard' });
    await card.getByText(/^Passed: The customer accepted the solution\./).waitFor();
    for (const name of [
      'Empathy',
      'Clarity',
      'Discovery',
      'Resolution',
      'Time to respond',
      'Knowledge-base consistency',
    ])
      await card.getByText(name, { exact: false }).first().waitFor();
    // Acknowledged only in the second reply: the card quotes the first and offers a better opening.
    await card
      .getByText(/^Better: I'm sorry for the trouble/)
      .first()
      .waitFor();
    // "2 business days" is what the scenario's shipping policy says.
    expect(await card.locator('[data-dimension="kbConsistency"] dt strong').textContent()).toBe('100');
    expect(await card.locator('[data-dimension="discovery"] dt strong').textContent()).toBe('100');
    await page.screenshot({ path: `${shots}/training-scorecard.png` });

    await page.getByRole('link', { name: 'Back to scenarios' }).click();
    await page.getByRole('link', { name: 'Where is my parcel?' }).waitFor();
    expect(problems.unexpected()).toEqual([]);
  });
});
