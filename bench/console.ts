import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { consoleDist, ensureConsoleBuilt } from '../src/console/console-build.ts';
import { loadConfig } from '../src/platform/config.ts';
import { queryRows } from '../src/platform/db/database.ts';
import { startRapport } from '../src/server.ts';
import { rebuildViewCounts } from '../src/tickets/ticket-counts.ts';
import { launchBrowser } from '../test/support/browser.ts';

// The console's first load: gzipped bytes of what index.html pulls in, and the time from navigation
// to the first inbox row with BENCH_TICKETS tickets (default 10,000) in the database, in Chromium.
const TICKETS = Number(process.env.BENCH_TICKETS ?? 10_000);
const ROUNDS = 7;

function firstLoadBytes() {
  const html = readFileSync(path.join(consoleDist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((match) => match[1]!);
  const sizes = files.map((file) => {
    const body = readFileSync(path.join(consoleDist, file));
    return { file, bytes: body.length, gzip_bytes: gzipSync(body, { level: 9 }).length };
  });
  return {
    files: sizes,
    total_gzip_kb: Math.round((sizes.reduce((sum, f) => sum + f.gzip_bytes, 0) / 1024) * 10) / 10,
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]! * 10) / 10;
};

export default async function consoleBench() {
  await ensureConsoleBuilt();
  const bundle = firstLoadBytes();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rapport-console-bench-'));
  const running = await startRapport(
    loadConfig({
      RAPPORT_DATA_DIR: dataDir,
      PORT: '0',
      RAPPORT_ROLES: 'web',
      LOG_LEVEL: 'warn',
      RAPPORT_ADMIN_PASSWORD: 'bench password 1',
    }),
  );
  const browser = await launchBrowser();
  try {
    const { db } = running.deps;
    const [workspace] = await queryRows<{ id: string }>(
      db,
      sql`SELECT id FROM workspaces WHERE slug = 'default'`,
    );
    const workspaceId = workspace!.id;
    await db.execute(
      sql`INSERT INTO customers (workspace_id, name) SELECT ${workspaceId}::uuid, 'Customer ' || g FROM generate_series(1, 500) g`,
    );
    await db.execute(sql`
      WITH c AS (SELECT array_agg(id) ids FROM customers WHERE workspace_id = ${workspaceId})
      INSERT INTO tickets (workspace_id, number, subject, status, priority, channel, customer_id, last_activity_at)
      SELECT ${workspaceId}::uuid, g, 'Order question number ' || g,
        (ARRAY['new','open','pending','solved'])[1 + g % 4]::ticket_status, 'normal',
        (ARRAY['email','chat','web','phone'])[1 + g % 4]::channel, c.ids[1 + g % 500], now() - make_interval(mins => g)
      FROM generate_series(1, ${TICKETS}) g, c`);
    await db.transaction((tx) => rebuildViewCounts(tx, workspaceId));

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(running.url);
    await page.getByLabel('Email').fill('admin@example.com');
    await page.getByLabel('Password').fill('bench password 1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-ticket-id]').first().waitFor();

    const firstRow: number[] = [];
    const baseline: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Cold for the console's data each round (a full navigation), warm HTTP cache as for an agent.
      const started = performance.now();
      await page.goto(`${running.url}/inbox/open`);
      await page.locator('[data-ticket-id]').first().waitFor();
      firstRow.push(performance.now() - started);
      // Baseline: a bare same-origin page (the health JSON) fetching the same first page of tickets,
      // with no console at all.
      const plain = performance.now();
      await page.goto(`${running.url}/api/v1/health`);
      await page.evaluate(async (url) => {
        const response = await fetch(url, { credentials: 'include' });
        await response.json();
      }, `${running.url}/api/v1/tickets?status=new,open,pending,on_hold&limit=50`);
      baseline.push(performance.now() - plain);
    }
    return {
      tickets: TICKETS,
      first_load_gzip_kb: bundle.total_gzip_kb,
      first_load_files: bundle.files,
      first_inbox_row_ms: { p50: median(firstRow), samples: firstRow.map((ms) => Math.round(ms)) },
      baseline_bare_page_fetching_first_page_ms: {
        p50: median(baseline),
        samples: baseline.map((ms) => Math.round(ms)),
      },
      aim: { first_load_gzip_kb: 250, first_inbox_row_ms: 1000 },
      database: 'pglite',
    };
  } finally {
    await browser.close();
    await running.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
