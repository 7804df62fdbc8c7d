// PostgreSQL drops every connection (a restart, a failover, an admin's pg_terminate_backend): the app
// must carry on by itself, with new pool connections and its LISTEN connection re-subscribed.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Database, openDatabase, queryRows } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { describePostgresOnly, ownPostgresDatabase } from './support/databases.ts';
import { makeTicket, makeWorkspace } from './support/factories.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describePostgresOnly('reconnecting after PostgreSQL drops every connection', (serverUrl) => {
  // A database of its own: terminating its connections must not touch other test files.
  let own: Awaited<ReturnType<typeof ownPostgresDatabase>>;
  let database: Database;
  let name: string;

  beforeAll(async () => {
    own = await ownPostgresDatabase(serverUrl, 'reconnect');
    name = own.name;
    database = await openDatabase({ url: own.url, poolSize: 4 });
    await migrate(database.db);
  });

  afterAll(async () => {
    await database?.close();
    await own?.drop();
  });

  const terminateAll = () =>
    queryRows<{ n: number }>(
      own.admin.db,
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
