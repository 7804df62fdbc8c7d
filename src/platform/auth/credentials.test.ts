import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../../test/support/databases.ts';
import { makeUser, makeWorkspace } from '../../../test/support/factories.ts';
import { apiTokens } from '../../db/schema/index.ts';
import { updateMember } from '../../users/user-service.ts';
import { fixedClock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import { createApiToken, resolveApiToken } from './credentials.ts';
import { forgetCachedTokens, TOKEN_CACHE_MS } from './token-cache.ts';

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

  it('keeps a resolved token for a few seconds, and forgets it at once when told', async () => {
    const { admin } = await makeWorkspace(db);
    const { id, token } = await createApiToken(db, { ...admin.actor, name: 'cached' });
    const clock = fixedClock(new Date('2026-03-01T09:00:00.000Z'));
    expect(await resolveApiToken(db, token, clock)).toMatchObject({ userId: admin.id });

    // Revoked behind this node's back (another node, or by hand): refused once the entry expires.
    await db.update(apiTokens).set({ revokedAt: clock.now() }).where(eq(apiTokens.id, id));
    expect(await resolveApiToken(db, token, clock)).toMatchObject({ userId: admin.id });
    clock.advance(TOKEN_CACHE_MS);
    expect(await resolveApiToken(db, token, clock)).toBeUndefined();

    // Revoked through this node (the revoke route calls forgetCachedTokens): refused at once.
    const second = await createApiToken(db, { ...admin.actor, name: 'second' });
    expect(await resolveApiToken(db, second.token, clock)).toBeDefined();
    await db.update(apiTokens).set({ revokedAt: clock.now() }).where(eq(apiTokens.id, second.id));
    forgetCachedTokens();
    expect(await resolveApiToken(db, second.token, clock)).toBeUndefined();
  });

  it('refuses the token of a user who was just disabled or demoted', async () => {
    const { workspace, admin } = await makeWorkspace(db);
    const agent = await makeUser(db, workspace.id, 'agent');
    const { token } = await createApiToken(db, { ...agent.actor, name: 'agent token' });
    const clock = fixedClock(new Date('2026-03-02T09:00:00.000Z'));
    expect(await resolveApiToken(db, token, clock)).toMatchObject({ role: 'agent' });
    await updateMember(db, admin.actor, agent.id, { role: 'light' });
    expect(await resolveApiToken(db, token, clock)).toMatchObject({ role: 'light' });
    await updateMember(db, admin.actor, agent.id, { disabled: true });
    expect(await resolveApiToken(db, token, clock)).toBeUndefined();
  });
});
