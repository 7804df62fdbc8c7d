import { mkdirSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kbArticleVotes } from '../../src/db/schema/index.ts';
import { createCategory } from '../../src/kb/kb-category-service.ts';
import { createArticle } from '../../src/kb/kb-service.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { browserAvailable, launchBrowser, watchConsole } from '../support/browser.ts';
import { sharedDatabase } from '../support/databases.ts';
import { makeWorkspace } from '../support/factories.ts';
import { type LiveApp, startLiveApp } from '../support/live-app.ts';

const shots = 'test-results/screenshots';

describe.runIf(browserAvailable())('public help center in Chromium', () => {
  let database: Database;
  let live: LiveApp;
  let browser: Browser;
  let slug: string;
  let workspaceId: string;
  let articleId: string;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    database = await sharedDatabase('pglite');
    const { workspace, admin } = await makeWorkspace(database.db);
    slug = workspace.slug;
    workspaceId = workspace.id;
    const billing = await createCategory(database.db, admin.actor, {
      name: 'Billing',
      description: 'Invoices and payments',
    });
    const article = await createArticle(database.db, admin.actor, {
      title: 'Download your invoice',
      body: 'Open **Billing** and press *Download* next to the invoice.',
      categoryId: billing.id,
      status: 'published',
    });
    articleId = article.id;
    await createArticle(database.db, admin.actor, {
      title: 'Change your payment card',
      body: 'Open Billing, then Payment, and add the new card.',
      categoryId: billing.id,
      status: 'published',
    });
    await createArticle(database.db, admin.actor, {
      title: 'Refund policy',
      body: 'Money goes back to your card within 5 days.',
      status: 'published',
    });
    live = await startLiveApp(database, workspace.id);
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await live?.close();
  });

  it('goes home → category → article, finds another as you type, and votes "Was this helpful?"', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const problems = watchConsole(page);
    await page.goto(`${live.url}/help/${slug}`);
    await page.getByRole('heading', { name: 'How can we help?' }).waitFor();
    await page.getByRole('link', { name: 'Billing' }).click();
    await page.getByRole('heading', { level: 1, name: 'Billing' }).waitFor();
    await page.getByRole('link', { name: 'Download your invoice' }).click();
    await page.getByRole('heading', { level: 1, name: 'Download your invoice' }).waitFor();
    await expect.poll(() => page.locator('article .body strong').textContent()).toBe('Billing');

    // Search-as-you-type: the last word is a prefix still being typed.
    await page.getByRole('searchbox').pressSequentially('refu', { delay: 30 });
    const suggestion = page.getByRole('listbox', { name: 'Suggested articles' }).getByRole('option', {
      name: 'Refund policy',
    });
    await suggestion.waitFor();
    await page.screenshot({ path: `${shots}/help-center-suggestions.png` });
    await suggestion.click();
    await page.getByRole('heading', { level: 1, name: 'Refund policy' }).waitFor();

    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Download your invoice' }).waitFor();
    await page.getByLabel('Anything we should add? (optional)').fill('A screenshot would help.');
    await page.getByRole('button', { name: 'Yes' }).click();
    await page.getByText('Thanks for your feedback!').waitFor();
    await page.screenshot({ path: `${shots}/help-center-voted.png` });
    const votes = await database.db
      .select({ helpful: kbArticleVotes.helpful, comment: kbArticleVotes.comment })
      .from(kbArticleVotes)
      .where(and(eq(kbArticleVotes.articleId, articleId), eq(kbArticleVotes.workspaceId, workspaceId)));
    expect(votes).toEqual([{ helpful: true, comment: 'A screenshot would help.' }]);
    expect(problems.unexpected()).toEqual([]);
  });
});
