import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../../test/support/databases.ts';
import { makeWorkspace } from '../../../test/support/factories.ts';
import { apiTokens } from '../../db/schema/index.ts';
import { fixedClock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import { createApiToken, resolveApiToken } from './credentials.ts';

describeEachDatabase('api token credentials', (kind) => {
  let db: Db;
  beforeAll(async () => {
    db = (await sharedDatabase(kind)).db;
  });

  it('records when a token was last used, at most once a minute', async () => {
    const { admin } = await makeWorkspace(db);
    const { id, token } = await createApiToken(db, { ...admin.actor, name: 'integration' });
    const lastUsed = async () =>
      (await db.select().from(apiTokens).where(eq(apiTokens.id, id)))[0]!.lastUsedAt?.toISOString();
    const clock = fixedClock(new Date('2026-02-01T09:00:00.000Z'));

    expect(await resolveApiToken(db, token, clock)).toMatchObject({ userId: admin.id, via: 'token' });
    expect(await lastUsed()).toBe('2026-02-01T09:00:00.000Z');
    clock.advance(59_000);
    await resolveApiToken(db, token, clock);
    expect(await lastUsed()).toBe('2026-02-01T09:00:00.000Z');
    clock.advance(2_000);
    await resolveApiToken(db, token, clock);
    expect(await lastUsed()).toBe('2026-02-01T09:01:01.000Z');
    expect(await resolveApiToken(db, `${token}x`, clock)).toBeUndefined();
  });
});
