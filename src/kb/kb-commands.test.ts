import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { asc } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { kbArticles, kbCategories } from '../db/schema/index.ts';
import { openDatabase } from '../platform/db/database.ts';
import { csvItems, markdownItem, readKbSource } from './kb-import-files.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(path.join(os.tmpdir(), 'rapport-kb-import-'));
const dataDir = path.join(work, 'data');

function rapport(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/rapport', ...args], {
      cwd: root,
      env: {
        ...process.env,
        RAPPORT_DATA_DIR: dataDir,
        DATABASE_URL: '',
        RAPPORT_ADMIN_EMAIL: '',
        RAPPORT_ADMIN_PASSWORD: '',
        LOG_LEVEL: 'silent',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('kb import sources', () => {
  it('reads front matter, a leading heading as the title and the file name as the slug', () => {
    const item = markdownItem(
      '/x/Reset-Password.md',
      '---\ntags: account, security\ninternal: yes\nstatus: draft\n---\n# Reset your password\n\nPress *Forgot*.\n',
      'account',
    );
    expect(item).toMatchObject({
      title: 'Reset your password',
      body: 'Press *Forgot*.',
      slug: 'reset-password',
      category: 'account',
      tags: ['account', 'security'],
      internal: true,
      status: 'draft',
    });
    expect(markdownItem('/x/plain-notes.md', 'Intro\n\n# Later heading').title).toBe('plain-notes');
  });

  it('reads FAQ pairs from a CSV with quoted answers, and refuses one without the columns', () => {
    const items = csvItems(
      'question,answer,category\n"Can I pay by card?","Yes, ""any"" card.\nEven Amex.",billing\n',
    );
    expect(items).toEqual([
      expect.objectContaining({
        title: 'Can I pay by card?',
        body: 'Yes, "any" card.\nEven Amex.',
        slug: 'can-i-pay-by-card',
        category: 'billing',
        status: 'published',
      }),
    ]);
    expect(() => csvItems('q,a\nx,y\n')).toThrow('"question" and an "answer"');
    expect(() => readKbSource(path.join(work, 'missing'))).toThrow('does not exist');
  });
});

describe('rapport kb import', () => {
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('imports a Markdown folder and a FAQ CSV, shows progress, and skips what is there on a re-run', async () => {
    const docs = path.join(work, 'docs');
    mkdirSync(path.join(docs, 'billing'), { recursive: true });
    writeFileSync(path.join(docs, 'welcome.md'), '# Welcome\n\nStart <script>x()</script>here.');
    writeFileSync(
      path.join(docs, 'billing', 'invoices.md'),
      '---\ntitle: Download invoices\n---\nOpen Billing.',
    );
    writeFileSync(path.join(docs, 'notes.txt'), 'not an article');
    const faq = path.join(work, 'faq.csv');
    writeFileSync(faq, 'question,answer\nDo you ship abroad?,Yes.\nHow long is delivery?,Two days.\n');

    const first = await rapport(['kb', 'import', docs]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Imported 2 articles (0 already there) into "default".');
    expect(first.stderr).toContain('Importing articles [####################] 2/2');
    const csv = await rapport(['kb', 'import', faq]);
    expect(csv.stdout, csv.stderr).toContain('Imported 2 articles (0 already there)');
    const again = await rapport(['kb', 'import', docs]);
    expect(again.stdout).toContain('Imported 0 articles (2 already there)');
    const bad = await rapport(['kb', 'import', path.join(work, 'nowhere')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('does not exist');

    const database = await openDatabase({ dataDir: path.join(dataDir, 'pglite') });
    try {
      const articles = await database.db
        .select({
          title: kbArticles.title,
          slug: kbArticles.slug,
          html: kbArticles.bodyHtml,
          status: kbArticles.status,
        })
        .from(kbArticles)
        .orderBy(asc(kbArticles.slug));
      expect(articles.map((a) => [a.slug, a.status])).toEqual([
        ['do-you-ship-abroad', 'published'],
        ['how-long-is-delivery', 'published'],
        ['invoices', 'published'],
        ['welcome', 'published'],
      ]);
      expect(articles.find((a) => a.slug === 'welcome')?.html).not.toContain('<script');
      const categories = await database.db.select({ slug: kbCategories.slug }).from(kbCategories);
      expect(categories).toEqual([{ slug: 'billing' }]);
    } finally {
      await database.close();
    }
  }, 180_000);
});
