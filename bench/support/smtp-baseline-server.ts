// The floor the SMTP bench is compared against: a bare smtp-server that answers 250 after one INSERT of
// the raw message through the same driver, with none of Rapport's parsing, threading or transactions.
// Run as its own process: node --import tsx bench/support/smtp-baseline-server.ts
// BASELINE_DATABASE_URL (PostgreSQL) or BASELINE_DATA_DIR (PGlite), BASELINE_POOL_SIZE.
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { openDatabase } from '../../src/platform/db/database.ts';

const url = process.env.BASELINE_DATABASE_URL || undefined;
const database = await openDatabase({
  url,
  dataDir: url ? undefined : process.env.BASELINE_DATA_DIR,
  poolSize: Number(process.env.BASELINE_POOL_SIZE ?? 10),
});
const { db } = database;
await db.execute(sql`DROP TABLE IF EXISTS bench_smtp_baseline`);
await db.execute(sql`CREATE TABLE bench_smtp_baseline (id bigserial PRIMARY KEY, raw bytea NOT NULL)`);

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['AUTH', 'STARTTLS'],
  logger: false,
  size: 25 * 1024 * 1024,
  onData(stream, _session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      db.execute(sql`INSERT INTO bench_smtp_baseline (raw) VALUES (${Buffer.concat(chunks)})`).then(
        () => callback(null, 'OK'),
        (error: Error) => callback(Object.assign(error, { responseCode: 451 })),
      );
    });
  },
});
server.listen(0, '127.0.0.1', () => {
  console.log(`smtp baseline listening on port ${(server.server.address() as AddressInfo).port}`);
});

process.once('SIGTERM', () => {
  server.close(() => {
    void (async () => {
      if (url) await db.execute(sql`DROP TABLE IF EXISTS bench_smtp_baseline`);
      await database.close();
      process.exit(0);
    })();
  });
});
