import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArticle, getArticle } from '../../src/kb/kb-service.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { browserAvailable, launchBrowser, signInToConsole, watchConsole } from '../support/browser.ts';
import { sharedDatabase } from '../support/databases.ts';
import { makeTicket, makeUser, makeWorkspace, TEST_PASSWORD } from '../support/factories.ts';
import { type LiveApp, startLiveApp } from '../support/live-app.ts';

const shots = 'test-results/screenshots';

describe.runIf(browserAvailable())('knowledge-base editor in Chromium', () => {
  let database: Database;
  let live: LiveApp;
  let browser: Browser;
  let agent: Awaited<ReturnType<typeof makeUser>>;
  let articleId: string;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    database = await sharedDatabase('pglite');
    const world = await makeWorkspace(database.db);
    agent = await makeUser(database.db, world.workspace.id, 'agent');
    await makeTicket(database.db, world.admin.actor);
    const article = await createArticle(database.db, world.admin.actor, {
      title: 'Reset your password',
      body: 'Press **Forgot password**.',
    });
    articleId = article.id;
    live = await startLiveApp(database, world.workspace.id);
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await live?.close();
  });

  it('edits Markdown with a sanitised live preview, publishes, archives and restores a version', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchConsole(page);
    await signInToConsole(page, live.url, agent.email, TEST_PASSWORD);
    await page.getByRole('link', { name: 'Knowledge base' }).click();
    const list = page.getByRole('navigation', { name: 'Articles' });
    await list.getByRole('link', { name: /Reset your password/ }).click();
    const preview = page.getByRole('region', { name: 'Preview' });
    await preview.locator('strong', { hasText: 'Forgot password' }).waitFor();

    const body = page.getByLabel('Body (Markdown)');
    await body.fill(
      'Open **Settings** first.\n\n<script>window.hacked = 1</script><img src=x onerror="window.hacked=2">',
    );
    await preview.locator('strong', { hasText: 'Settings' }).waitFor();
    expect(await preview.locator('script, [onerror]').count()).toBe(0);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved as version 2').waitFor();

    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Published Reset your password').waitFor();
    await list.locator('.kb-status.published').waitFor();

    const history = page.getByRole('region', { name: 'Version history' });
    await history.getByRole('button', { name: 'Restore version 1' }).click();
    await page.getByText('Restored version 1 as version 3').waitFor();
    await expect.poll(() => body.inputValue()).toBe('Press **Forgot password**.');
    await page.screenshot({ path: `${shots}/kb-editor.png` });

    await page.getByRole('button', { name: 'Archive' }).click();
    await page.getByText('Archived Reset your password').waitFor();
    const stored = await getArticle(
      database.db,
      { workspaceId: agent.actor.workspaceId, audience: 'agents' },
      articleId,
    );
    expect(stored).toMatchObject({ status: 'archived', version: 3, body: 'Press **Forgot password**.' });
    expect(await page.evaluate(() => (window as { hacked?: number }).hacked)).toBeUndefined();
    expect(problems.unexpected()).toEqual([]);
  });
});
