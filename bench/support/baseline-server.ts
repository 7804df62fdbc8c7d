// The floor a bench is compared against: a bare Fastify route doing one INSERT through the same
// driver and pool size as the app, with none of Rapport's auth, validation or transactions.
// Run as its own process: node --import tsx bench/support/baseline-server.ts
// BASELINE_DATABASE_URL (PostgreSQL) or BASELINE_DATA_DIR (PGlite), BASELINE_POOL_SIZE.
import { sql } from 'drizzle-orm';
import Fastify from 'fastify';
import { openDatabase, queryRows } from '../../src/platform/db/database.ts';

const url = process.env.BASELINE_DATABASE_URL || undefined;
const database = await openDatabase({
  url,
  dataDir: url ? undefined : process.env.BASELINE_DATA_DIR,
  poolSize: Number(process.env.BASELINE_POOL_SIZE ?? 10),
});
const { db } = database;
await db.execute(sql`DROP TABLE IF EXISTS bench_baseline`);
await db.execute(
  sql`CREATE TABLE bench_baseline (id bigserial PRIMARY KEY, body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
);

const app = Fastify({ bodyLimit: 1024 * 1024 });
app.post('/ingest', async (request, reply) => {
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO bench_baseline (body) VALUES (${JSON.stringify(request.body)}::jsonb) RETURNING id::text AS id`,
  );
  return reply.status(201).send({ id: row!.id });
});
app.get('/count', async () => {
  const [row] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM bench_baseline`);
  return { count: Number(row!.n) };
});

await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
console.log(`baseline listening on port ${typeof address === 'object' && address ? address.port : 0}`);

process.once('SIGTERM', () => {
  void (async () => {
    await app.close();
    // The bench may run against someone's database: leave nothing behind.
    if (url) await db.execute(sql`DROP TABLE IF EXISTS bench_baseline`);
    await database.close();
    process.exit(0);
  })();
});
