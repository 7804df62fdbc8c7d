import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMacro } from '../../src/automation/macro-service.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { browserAvailable, launchBrowser, signInToConsole, watchConsole } from '../support/browser.ts';
import { sharedDatabase } from '../support/databases.ts';
import { makeTicket, makeUser, makeWorkspace, TEST_PASSWORD } from '../support/factories.ts';
import { type LiveApp, startLiveApp } from '../support/live-app.ts';

const shots = 'test-results/screenshots';

describe.runIf(browserAvailable())('macros in the ticket view in Chromium', () => {
  let database: Database;
  let live: LiveApp;
  let browser: Browser;
  let agent: { email: string };
  let ticketId: string;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    database = await sharedDatabase('pglite');
    const world = await makeWorkspace(database.db);
    agent = await makeUser(database.db, world.workspace.id, 'agent');
    await createMacro(database.db, world.admin.actor, {
      name: 'Ask for the order number',
      actions: [
        { type: 'reply', body: 'Hi {{customer.first_name}}, could you send me your order number?' },
        { type: 'set_status', value: 'pending' },
        { type: 'add_tags', tags: ['needs-info'] },
      ],
    });
    const ticket = await makeTicket(database.db, world.admin.actor, {
      subject: 'Parcel never came',
      customer: { email: 'lee@example.test', name: 'Lee Chen' },
    });
    ticketId = ticket.id;
    live = await startLiveApp(database, world.workspace.id);
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await live?.close();
  });

  it('applies a macro in one click: the reply shows in the conversation and the fields change', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchConsole(page);
    await signInToConsole(page, live.url, agent.email, TEST_PASSWORD);
    await page.goto(`${live.url}/tickets/${ticketId}`);
    const macros = page.getByRole('region', { name: 'Macros' });
    await macros.getByRole('button', { name: 'Apply macro Ask for the order number' }).click();
    await macros.getByRole('status').getByText('Applied Ask for the order number').waitFor();
    await page.getByText('Hi Lee, could you send me your order number?').waitFor();
    await expect.poll(() => page.locator('#ticket-status').inputValue()).toBe('pending');
    await page.getByRole('list', { name: 'Tags' }).getByText('needs-info').waitFor();
    await page.getByText(/applied the macro Ask for the order number/).waitFor();
    await page.screenshot({ path: `${shots}/macro-applied.png` });
    expect(problems.unexpected()).toEqual([]);
  });
});
