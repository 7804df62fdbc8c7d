// PostgreSQL drops every connection (a restart, a failover, an admin's pg_terminate_backend): the app
// must carry on by itself, with new pool connections and its LISTEN connection re-subscribed.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase, queryRows } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { makeTicket, makeWorkspace } from './support/factories.ts';

const databaseUrl = process.env.TEST_DATABASE_URL;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

if (!databaseUrl) {
  if (process.env.REQUIRE_POSTGRES === '1') {
    it('runs the reconnect test on PostgreSQL', () => {
      throw new Error('REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set');
    });
  } else {
    console.log('[rapport tests] TEST_DATABASE_URL is not set: skipping the PostgreSQL reconnect test.');
    describe.skip('reconnecting after PostgreSQL drops every connection', () => {
      it('needs PostgreSQL', () => {});
    });
  }
} else {
  describe('reconnecting after PostgreSQL drops every connection [postgres]', () => {
    // A database of its own: terminating its connections must not touch other test files.
    const name = `rapport_reconnect_${process.pid}_${Date.now()}`;
    const ownUrl = Object.assign(new URL(databaseUrl), { pathname: `/${name}` }).toString();
    let admin: Database;
    let database: Database;

    beforeAll(async () => {
      admin = await openDatabase({ url: databaseUrl, poolSize: 1 });
      await admin.db.execute(sql.raw(`CREATE DATABASE ${name}`));
      database = await openDatabase({ url: ownUrl, poolSize: 4 });
      await migrate(database.db);
    });

    afterAll(async () => {
      await database?.close();
      await admin?.db.execute(sql.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      await admin?.close();
    });

    const terminateAll = () =>
      queryRows<{ n: number }>(
        admin.db,
        sql`SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = ${name}`,
      );

    it('serves writes again and hears notifications again, without a restart', async () => {
      const heard: string[] = [];
      await database.listen('rapport_reconnect_test', (payload) => heard.push(payload));
      const { admin: agent } = await makeWorkspace(database.db);
      await makeTicket(database.db, agent.actor, { subject: 'before' });

      const [terminated] = await terminateAll();
      // Pool connections and the LISTEN connection were all open.
      expect(terminated!.n).toBeGreaterThanOrEqual(2);

      // A query on a connection that died may fail once; the pool then hands out fresh ones.
      let created: { id: string } | undefined;
      const errors: string[] = [];
      for (let attempt = 0; attempt < 10 && !created; attempt++) {
        try {
          created = await makeTicket(database.db, agent.actor, { subject: 'after' });
        } catch (error) {
          errors.push(String(error));
          await sleep(200);
        }
      }
      expect(created, errors.join('\n')).toBeDefined();
      expect(errors.length).toBeLessThanOrEqual(4);

      // The listener re-subscribes on its own: a notification sent now arrives.
      for (let i = 0; i < 50 && !heard.includes('after-drop'); i++) {
        await database.db.execute(sql`SELECT pg_notify('rapport_reconnect_test', 'after-drop')`);
        await sleep(200);
      }
      expect(heard).toContain('after-drop');
    });
  });
}
