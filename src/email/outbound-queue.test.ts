import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeWorkspace } from '../../test/support/factories.ts';
import { outboundEmails } from '../db/schema/index.ts';
import type { Db } from '../platform/db/database.ts';
import { NEVER_ANSWERED, queueOutbound } from './outbound-queue.ts';

describeEachDatabase('outbound queue', (kind) => {
  let db: Db;
  beforeAll(async () => {
    db = (await sharedDatabase(kind)).db;
  });

  const mail = (workspaceId: string, to: string[], cc: string[] = []) => ({
    workspaceId,
    kind: 'notification' as const,
    dedupeKey: `test:${crypto.randomUUID()}`,
    ticketId: null,
    messageId: null,
    fromAddress: 'support@example.test',
    fromName: 'Support',
    to,
    cc,
    subject: 'Hello',
    bodyText: 'Hi',
    threads: false,
  });

  it('never answers mailer daemons or no-reply senders, and drops them from the copies', async () => {
    const { workspace } = await makeWorkspace(db);
    const refused = await queueOutbound(db, mail(workspace.id, ['MAILER-DAEMON@mx.example.test']));
    const [failed] = await db.select().from(outboundEmails).where(eq(outboundEmails.id, refused!));
    expect(failed).toMatchObject({ status: 'failed', lastError: NEVER_ANSWERED });
    const kept = await queueOutbound(
      db,
      mail(
        workspace.id,
        ['noreply@shop.example.test', 'ana@example.test'],
        ['postmaster@example.test', 'bo@example.test'],
      ),
    );
    const [queued] = await db.select().from(outboundEmails).where(eq(outboundEmails.id, kept!));
    expect(queued).toMatchObject({
      status: 'queued',
      toAddresses: ['ana@example.test'],
      ccAddresses: ['bo@example.test'],
    });
  });
});
