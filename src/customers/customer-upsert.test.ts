import { eq, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeWorkspace } from '../../test/support/factories.ts';
import { customerIdentities, customers } from '../db/schema/index.ts';
import type { Db } from '../platform/db/database.ts';
import { upsertCustomerByIdentity } from './customer-service.ts';

describeEachDatabase('customer upsert by identity', (kind) => {
  let db: Db;
  beforeAll(async () => {
    db = (await sharedDatabase(kind)).db;
  });

  it('makes one customer for one new identity however many ask at once, inside their transactions', async () => {
    const { workspace } = await makeWorkspace(db);
    // Open the pool's connections first, so the upserts really run side by side.
    await Promise.all(Array.from({ length: 8 }, () => db.execute(sql`SELECT pg_sleep(0.05)`)));
    const ids = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        db.transaction(async (tx) => {
          const id = await upsertCustomerByIdentity(tx, workspace.id, {
            email: 'Same@Example.test',
            ...(i % 2 ? { phone: '+1 555 0199' } : {}),
          });
          // The caller's transaction stays usable after a lost race.
          await tx.execute(sql`SELECT 1`);
          return id;
        }),
      ),
    );
    expect(new Set(ids).size).toBe(1);
    const rows = await db.select().from(customers).where(eq(customers.workspaceId, workspace.id));
    expect(rows.map((c) => c.name)).toEqual(['Same']);
    const identities = await db
      .select()
      .from(customerIdentities)
      .where(eq(customerIdentities.customerId, ids[0]!));
    expect(identities.map((i) => `${i.kind}:${i.value}`).sort()).toEqual([
      'email:same@example.test',
      'phone:+15550199',
    ]);
  });

  it('names a nameless customer it finds, and refuses a reference without identities', async () => {
    const { workspace } = await makeWorkspace(db);
    const id = await upsertCustomerByIdentity(db, workspace.id, { externalId: 'crm-1' });
    expect(await upsertCustomerByIdentity(db, workspace.id, { externalId: 'crm-1', name: ' Kim ' })).toBe(id);
    const [row] = await db.select().from(customers).where(eq(customers.id, id));
    expect(row!.name).toBe('Kim');
    await expect(upsertCustomerByIdentity(db, workspace.id, { name: 'x' })).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });
});
