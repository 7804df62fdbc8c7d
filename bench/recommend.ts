// Recommendations on Online Retail (UCI, CC BY 4.0; see ../shared/data/online-retail/SOURCE.md): every
// invoice becomes an order.placed event through the same import path as `rapport import events`, into a
// fresh PGlite data dir (or BENCH_DATABASE_URL, an empty PostgreSQL database). The model trains on orders
// before 2011-10-01; for each customer with orders on both sides we ask for items they had not bought
// and count a hit when one of the top 5 / top 10 appears among their later purchases. The most-popular
// baseline (also minus what they bought) runs on the same split in the same run. Aim: 2× at 10.

import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, eq, gt, gte } from 'drizzle-orm';
import { importEvents } from '../src/crm/event-import.ts';
import { buildModel, MODEL_OPTIONS } from '../src/crm/recommend-service.ts';
import { customerOrderItems } from '../src/db/schema/index.ts';
import { parseCsv } from '../src/imports/import-csv.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { createUser } from '../src/users/user-service.ts';
import { createWorkspace } from '../src/workspaces/workspace-service.ts';

const dataDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/data/online-retail');
const CUTOFF = new Date('2011-10-01T00:00:00Z');
const AIM = { hit_at_10_over_baseline: 2 } as const;

/** Invoices as event lines; cancellations and non-goods codes (POST, M, BANK CHARGES…) are left out. */
function invoiceEvents(csv: string) {
  const invoices = new Map<string, { customer: string; at: string; items: Record<string, unknown>[] }>();
  for (const row of parseCsv(csv)) {
    if (row.invoiceno!.startsWith('C') || Number(row.quantity) <= 0 || !/^\d/.test(row.stockcode!)) continue;
    let invoice = invoices.get(row.invoiceno!);
    if (!invoice) {
      invoice = { customer: row.customerid!, at: `${row.invoicedate!.replace(' ', 'T')}Z`, items: [] };
      invoices.set(row.invoiceno!, invoice);
    }
    invoice.items.push({
      sku: row.stockcode,
      name: row.description!.trim(),
      quantity: Number(row.quantity),
      price: Number(row.unitprice),
    });
  }
  return [...invoices].map(([number, invoice], index) => ({
    line: index + 1,
    value: {
      id: `invoice-${number}`,
      customer: { external_id: invoice.customer },
      type: 'order.placed',
      occurred_at: invoice.at,
      data: { number, currency: 'GBP', items: invoice.items },
    },
  }));
}

export default async function recommendBench() {
  const file = path.join(dataDir, 'online_retail.csv');
  if (!existsSync(file)) {
    console.error(`[bench recommend] ${file} is missing: skipping.`);
    return { skipped: `no data set at ${file}` };
  }
  const lines = invoiceEvents(readFileSync(file, 'utf8'));
  const url = process.env.BENCH_DATABASE_URL;
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'rapport-bench-recommend-'));
  const database = await openDatabase(url ? { url } : { dataDir: path.join(tmp, 'pglite') });
  try {
    await migrate(database.db);
    const db = database.db;
    const workspace = await createWorkspace(db, { name: 'Recommend bench' });
    const admin = await createUser(db, {
      workspaceId: workspace.id,
      email: 'bench@example.test',
      name: 'Bench',
      password: 'bench-password-long',
      role: 'admin',
    });
    const actor = { userId: admin.id, workspaceId: workspace.id, role: 'admin' as const };
    let shown = 0;
    const started = performance.now();
    const summary = await importEvents(db, actor, lines, (done, total) => {
      if (done - shown >= 1000 || done === total) {
        shown = done;
        process.stderr.write(`[bench recommend] imported ${done}/${total} orders\n`);
      }
    });
    const importSeconds = (performance.now() - started) / 1000;

    const trainStarted = performance.now();
    const model = await buildModel(db, workspace.id, CUTOFF);
    const trainMs = performance.now() - trainStarted;
    const later = new Map<string, Set<string>>();
    const rows = await db
      .select({ customerId: customerOrderItems.customerId, sku: customerOrderItems.sku })
      .from(customerOrderItems)
      .where(
        and(
          eq(customerOrderItems.workspaceId, workspace.id),
          gte(customerOrderItems.occurredAt, CUTOFF),
          gt(customerOrderItems.quantity, 0),
        ),
      );
    for (const row of rows) {
      const bought = later.get(row.customerId) ?? new Set<string>();
      bought.add(row.sku);
      later.set(row.customerId, bought);
    }
    const hits = { model5: 0, model10: 0, popular5: 0, popular10: 0 };
    let evaluated = 0;
    const recommendStarted = performance.now();
    for (const [customerId, bought] of later) {
      const before = new Set(model.boughtBy(customerId));
      // Only customers who bought something new later can be helped by a recommendation.
      if (before.size === 0 || ![...bought].some((sku) => !before.has(sku))) continue;
      evaluated++;
      const hit = (list: string[], k: number) => list.slice(0, k).some((sku) => bought.has(sku));
      const recommended = model.recommend(customerId, 10).map((r) => r.sku);
      const popular = model.mostPopular(customerId, 10);
      if (hit(recommended, 5)) hits.model5++;
      if (hit(recommended, 10)) hits.model10++;
      if (hit(popular, 5)) hits.popular5++;
      if (hit(popular, 10)) hits.popular10++;
    }
    const recommendMs = (performance.now() - recommendStarted) / Math.max(1, evaluated);
    const rate = (n: number) => Math.round((n / Math.max(1, evaluated)) * 10_000) / 10_000;
    const ratio10 = Math.round((hits.model10 / Math.max(1, hits.popular10)) * 100) / 100;
    return {
      data_set: 'online-retail (UCI, even CustomerIDs), goods lines of non-cancelled invoices',
      database: url ? 'postgres' : 'pglite',
      import: {
        orders: lines.length,
        created: summary.created,
        rejected: summary.rejected.length,
        seconds: Math.round(importSeconds * 10) / 10,
        orders_per_second: Math.round(summary.created / importSeconds),
      },
      split: { train_before: CUTOFF.toISOString(), customers_evaluated: evaluated, items: model.itemCount },
      model: {
        kind: 'item-to-item co-purchase (damped cosine over recency-weighted pairs) blended with recent popularity',
        options: MODEL_OPTIONS,
        train_ms: Math.round(trainMs),
      },
      hit_at_5: rate(hits.model5),
      hit_at_10: rate(hits.model10),
      baseline: 'most popular items the customer has not bought',
      baseline_hit_at_5: rate(hits.popular5),
      baseline_hit_at_10: rate(hits.popular10),
      hit_at_10_over_baseline: ratio10,
      ms_per_recommendation: Math.round(recommendMs * 100) / 100,
      aim: AIM,
      meets_aim: ratio10 >= AIM.hit_at_10_over_baseline,
    };
  } finally {
    await database.close();
    await rm(tmp, { recursive: true, force: true });
  }
}
