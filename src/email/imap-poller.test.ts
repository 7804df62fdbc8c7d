import { randomUUID } from 'node:crypto';
import { type AddressInfo, createServer } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { composeEmail } from '../../test/support/email.ts';
import { makeWorkspace } from '../../test/support/factories.ts';
import { testDeps } from '../../test/support/http.ts';
import {
  describeImapOnly,
  type ImapServer,
  type ImapUser,
  startImapServer,
} from '../../test/support/imap-server.ts';
import { emailMailboxes } from '../db/schema/index.ts';
import type { Db } from '../platform/db/database.ts';
import type { Deps } from '../platform/deps.ts';
import { createMailbox } from './imap-mailbox-service.ts';
import { createImapPoller, type ImapPollerOptions } from './imap-poller.ts';
import { readNewMessages } from './imap-session.ts';
import type { IntakeInput, IntakeResult } from './inbound-types.ts';

/**
 * A small real intake that keeps messages in memory and dedupes by Message-ID as intakeEmail does;
 * `failOn` makes it reject (as intakeEmail does when the database is down) for chosen Message-IDs.
 */
function recordingIntake(workspaceId: string) {
  const stored = new Map<string, Buffer>();
  const calls: string[] = [];
  const failOn = new Set<string>();
  const intake = async (input: IntakeInput): Promise<IntakeResult> => {
    const id = /^Message-ID:\s*(\S+)/im.exec(input.raw.toString('latin1'))?.[1] ?? randomUUID();
    calls.push(id);
    expect(input).toMatchObject({ source: 'imap', workspaceId });
    if (failOn.delete(id)) throw new Error('the database is down');
    if (stored.has(id)) return { status: 'duplicate', workspaceId, ticketId: randomUUID() };
    stored.set(id, input.raw);
    return {
      status: 'stored',
      workspaceId,
      ticketId: randomUUID(),
      messageId: randomUUID(),
      created: true,
      autoReply: false,
    };
  };
  return { intake, stored, calls, failOn };
}

const messageId = (label: string) => `<${label}-${randomUUID()}@client.example.test>`;
const mail = (id: string, subject = 'Where is my parcel?') =>
  composeEmail({
    messageId: id,
    from: 'Casey <casey@example.test>',
    to: 'help@shop.example.test',
    subject,
    text: `About ${id}`,
  });

const sessionOptions = {
  allowPrivate: true,
  connectTimeoutMs: 5000,
  commandTimeoutMs: 5000,
  batchSize: 10,
  batchBytes: 1e6,
  maxMessageBytes: 1e6,
  shouldStop: () => false,
};
const noHandlers = { restart: async () => {}, take: async () => {}, skip: async () => {} };

describeImapOnly('IMAP poller against dovecot', () => {
  let server: ImapServer;
  beforeAll(async () => {
    server = await startImapServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  describeEachDatabase('IMAP poller', (kind) => {
    let db: Db;
    let deps: Deps;
    beforeAll(async () => {
      const database = await sharedDatabase(kind);
      db = database.db;
      deps = testDeps(database);
    });

    /** A workspace with one mailbox on a fresh dovecot account holding `count` messages. */
    async function setup(count: number, options: { folder?: string; password?: string } = {}) {
      const { workspace, admin } = await makeWorkspace(db);
      const user = server.createUser();
      const folder = options.folder ?? 'INBOX';
      const ids = Array.from({ length: count }, (_, i) => messageId(`m${i + 1}`));
      await server.append(user, folder, await Promise.all(ids.map((id) => mail(id))));
      const mailbox = await createMailbox(deps, admin.actor, {
        host: server.host,
        port: server.port,
        secure: false,
        username: user.username,
        password: options.password ?? user.password,
        folder,
      });
      const recorder = recordingIntake(workspace.id);
      const poller = (extra: Partial<ImapPollerOptions> = {}) =>
        createImapPoller(deps, { intake: recorder.intake, workspaceId: workspace.id, ...extra });
      return { workspace, user, folder, ids, mailbox, recorder, poller };
    }

    const row = async (id: string) =>
      (await db.select().from(emailMailboxes).where(eq(emailMailboxes.id, id)))[0]!;
    const seenUids = async (user: ImapUser, folder: string) =>
      [...(await server.flags(user, folder))].filter(([, flags]) => flags.has('\\Seen')).map(([uid]) => uid);

    it('takes in every message in UID order, then nothing new, then only what arrived since', async () => {
      const { workspace, user, ids, mailbox, recorder, poller } = await setup(3);
      const first = await poller().pollNow(workspace.id, mailbox.id);
      expect(first).toEqual({
        taken: 3,
        counts: { stored: 3, duplicate: 0, bounce: 0, quarantined: 0 },
        skipped: 0,
        error: null,
      });
      expect(recorder.calls).toEqual(ids);
      expect(await row(mailbox.id)).toMatchObject({ lastUid: 3, lastError: null, lockedUntil: null });
      expect((await row(mailbox.id)).uidValidity).toBeGreaterThan(0);
      expect((await row(mailbox.id)).lastPolledAt).toBeInstanceOf(Date);
      expect(await seenUids(user, 'INBOX')).toEqual([1, 2, 3]);

      expect((await poller().pollNow(workspace.id, mailbox.id))?.taken).toBe(0);
      expect(recorder.calls).toHaveLength(3);

      const later = [messageId('later1'), messageId('later2')];
      await server.append(user, 'INBOX', await Promise.all(later.map((id) => mail(id))));
      expect((await poller().pollNow(workspace.id, mailbox.id))?.taken).toBe(2);
      expect(recorder.calls).toEqual([...ids, ...later]);
      expect(await row(mailbox.id)).toMatchObject({ lastUid: 5 });
    });

    it('stops the batch at an intake rejection, keeping last_uid before it, and the next poll gets it once', async () => {
      const { workspace, user, ids, mailbox, recorder, poller } = await setup(5);
      recorder.failOn.add(ids[3]!);
      const failed = await poller({ batchSize: 2 }).pollNow(workspace.id, mailbox.id);
      expect(failed?.taken).toBe(3);
      expect(failed?.error).toMatch(/UID 4.*retried.*the database is down/);
      const after = await row(mailbox.id);
      expect(after).toMatchObject({ lastUid: 3, lockedUntil: null });
      expect(after.lastError).toMatch(/UID 4/);
      expect(await seenUids(user, 'INBOX')).toEqual([1, 2, 3]);

      const retried = await poller({ batchSize: 2 }).pollNow(workspace.id, mailbox.id);
      expect(retried).toMatchObject({ taken: 2, error: null, counts: { stored: 2, duplicate: 0 } });
      expect(recorder.calls).toEqual([...ids.slice(0, 4), ...ids.slice(3)]);
      expect([...recorder.stored.keys()]).toEqual(ids);
      expect(await row(mailbox.id)).toMatchObject({ lastUid: 5, lastError: null });
      expect(await seenUids(user, 'INBOX')).toEqual([1, 2, 3, 4, 5]);
    });

    it('reads the folder again from UID 0 when its UIDVALIDITY changes, the intake skipping what it has', async () => {
      const { workspace, user, ids, mailbox, recorder, poller } = await setup(2, { folder: 'Support' });
      await poller().pollNow(workspace.id, mailbox.id);
      const before = await row(mailbox.id);
      expect(before.lastUid).toBe(2);

      // The folder is rebuilt (a restore, a server move): same messages, new UIDVALIDITY.
      const imap = await server.client(user);
      await imap.mailboxDelete('Support');
      await imap.mailboxCreate('Support');
      await imap.logout();
      const fresh = messageId('fresh');
      await server.append(user, 'Support', await Promise.all([...ids, fresh].map((id) => mail(id))));

      const outcome = await poller().pollNow(workspace.id, mailbox.id);
      expect(outcome).toMatchObject({ taken: 3, error: null, counts: { stored: 1, duplicate: 2 } });
      const after = await row(mailbox.id);
      expect(after.uidValidity).not.toBe(before.uidValidity);
      expect(after.lastUid).toBe(3);
      expect([...recorder.stored.keys()]).toEqual([...ids, fresh]);
    });

    it('records a wrong password as last_error without the password, and changes nothing else', async () => {
      const wrong = `wrong-${randomUUID()}`;
      const { workspace, user, mailbox, recorder, poller } = await setup(2, { password: wrong });
      const outcome = await poller().pollNow(workspace.id, mailbox.id);
      expect(outcome?.taken).toBe(0);
      expect(outcome?.error).toMatch(new RegExp(`Sign-in as ${user.username} failed`));
      const after = await row(mailbox.id);
      expect(after.lastError).toBe(outcome?.error);
      expect(after.lastError).not.toContain(wrong);
      expect(after).toMatchObject({ lastUid: 0, uidValidity: null, lockedUntil: null });
      expect(recorder.calls).toEqual([]);
      expect(await seenUids(user, 'INBOX')).toEqual([]);
    });

    it('says when the server cannot be reached or the folder does not exist', async () => {
      const { workspace, admin } = await makeWorkspace(db);
      const user = server.createUser();
      const { intake } = recordingIntake(workspace.id);
      const poller = createImapPoller(deps, { intake, workspaceId: workspace.id });
      const closed = await createMailbox(deps, admin.actor, {
        host: '127.0.0.1',
        port: 1,
        secure: false,
        username: user.username,
        password: user.password,
      });
      expect((await poller.pollNow(workspace.id, closed.id))?.error).toBe(
        'Cannot connect to 127.0.0.1:1 (ECONNREFUSED)',
      );
      const missing = await createMailbox(deps, admin.actor, {
        host: server.host,
        port: server.port,
        secure: false,
        username: user.username,
        password: user.password,
        folder: 'Nowhere',
      });
      expect((await poller.pollNow(workspace.id, missing.id))?.error).toMatch(
        /^Folder "Nowhere" does not exist/,
      );
    });

    it('lets two pollers at once take each message exactly once', async () => {
      const { workspace, admin } = await makeWorkspace(db);
      const recorder = recordingIntake(workspace.id);
      const all: string[] = [];
      for (let i = 0; i < 3; i++) {
        const user = server.createUser();
        const ids = Array.from({ length: 4 }, (_, n) => messageId(`box${i}-${n}`));
        all.push(...ids);
        await server.append(user, 'INBOX', await Promise.all(ids.map((id) => mail(id))));
        await createMailbox(deps, admin.actor, {
          host: server.host,
          port: server.port,
          secure: false,
          username: user.username,
          password: user.password,
        });
      }
      const make = () =>
        createImapPoller(deps, {
          intake: recorder.intake,
          workspaceId: workspace.id,
          concurrency: 1,
          batchSize: 1,
        });
      const polled = await Promise.all([make().runDue(), make().runDue()]);
      expect(polled[0]! + polled[1]!).toBe(3);
      expect(recorder.calls.sort()).toEqual(all.sort());
      const rows = await db.select().from(emailMailboxes).where(eq(emailMailboxes.workspaceId, workspace.id));
      expect(rows.map((r) => r.lastUid)).toEqual([4, 4, 4]);
      // Polled just now: not due again until RAPPORT_IMAP_POLL_SECONDS have passed.
      expect(await make().runDue()).toBe(0);
    });

    it("leaves a mailbox another node holds, and takes it over once that node's claim expired", async () => {
      const { workspace, mailbox, recorder, poller } = await setup(1);
      await db
        .update(emailMailboxes)
        .set({ lockedUntil: new Date(Date.now() + 60_000) })
        .where(eq(emailMailboxes.id, mailbox.id));
      expect(await poller().runDue()).toBe(0);
      expect(await poller().pollNow(workspace.id, mailbox.id)).toBeNull();
      await db
        .update(emailMailboxes)
        .set({ lockedUntil: new Date(Date.now() - 1000) })
        .where(eq(emailMailboxes.id, mailbox.id));
      expect(await poller().runDue()).toBe(1);
      expect(recorder.calls).toHaveLength(1);
    });

    it('stops at once, writing nothing more, when another node took the mailbox over mid-poll', async () => {
      const { workspace, mailbox, recorder, ids } = await setup(3);
      const poller = createImapPoller(deps, {
        workspaceId: workspace.id,
        intake: async (input) => {
          // Another node claims it (this node's claim had expired while it was stuck).
          await db
            .update(emailMailboxes)
            .set({ lockedUntil: new Date(Date.now() + 120_000) })
            .where(eq(emailMailboxes.id, mailbox.id));
          return recorder.intake(input);
        },
      });
      const outcome = await poller.pollNow(workspace.id, mailbox.id);
      expect(outcome?.error).toBe('Another poll took this mailbox over');
      expect(recorder.calls).toEqual([ids[0]]);
      expect(await row(mailbox.id)).toMatchObject({ lastUid: 0, lastPolledAt: null });
    });

    it('leaves a message over the size limit in the mailbox, unseen, and goes on past it', async () => {
      const { workspace, user, ids, mailbox, recorder } = await setup(1);
      const big = await composeEmail({
        from: 'casey@example.test',
        subject: 'Scan',
        text: 'x'.repeat(20_000),
      });
      await server.append(user, 'INBOX', [big, await mail(messageId('after'))]);
      const small = testDeps(await sharedDatabase(kind), { env: { RAPPORT_SMTP_MAX_BYTES: '10000' } });
      const outcome = await createImapPoller(small, { intake: recorder.intake }).pollNow(
        workspace.id,
        mailbox.id,
      );
      expect(outcome).toMatchObject({ taken: 2, skipped: 1 });
      expect(outcome?.error).toMatch(/UID 2 .* over the size limit/);
      expect(recorder.calls).toHaveLength(2);
      expect(recorder.calls[0]).toBe(ids[0]);
      expect(await row(mailbox.id)).toMatchObject({ lastUid: 3 });
      expect(await seenUids(user, 'INBOX')).toEqual([1, 3]);
    });

    it('polls on its own once started, and stop() waits for the message in flight', async () => {
      const { workspace, mailbox, recorder, ids } = await setup(3);
      let entered!: () => void;
      const inFlight = new Promise<void>((resolve) => {
        entered = resolve;
      });
      let release!: () => void;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      const poller = createImapPoller(
        testDeps(await sharedDatabase(kind), { env: { RAPPORT_IMAP_POLL_SECONDS: '0.2' } }),
        {
          workspaceId: workspace.id,
          intake: async (input) => {
            entered();
            await released;
            return recorder.intake(input);
          },
        },
      );
      poller.start();
      await inFlight;
      const stopped = poller.stop();
      release();
      await stopped;
      // The poll ended at the message boundary with that message recorded, and nothing after it taken.
      expect(recorder.calls).toEqual([ids[0]]);
      expect(await row(mailbox.id)).toMatchObject({ lastUid: 1, lockedUntil: null });
    });
  });

  it('gives up on a server that accepts the connection but never greets', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const target = {
        username: 'u',
        password: 'p',
        host: '127.0.0.1',
        port,
        secure: false,
        folder: 'INBOX',
      };
      await expect(
        readNewMessages(
          target,
          { uidValidity: null, lastUid: 0 },
          { ...sessionOptions, connectTimeoutMs: 300 },
          noHandlers,
        ),
      ).rejects.toThrow(`127.0.0.1:${port} did not answer in time`);
    } finally {
      silent.close();
    }
  });

  it('refuses loopback and private servers at connect time unless they are allowed', async () => {
    const user = server.createUser();
    const target = { ...user, host: 'localhost', port: server.port, secure: false, folder: 'INBOX' };
    const options = { ...sessionOptions, allowPrivate: false };
    const handlers = noHandlers;
    const cursor = { uidValidity: null, lastUid: 0 };
    await expect(readNewMessages(target, cursor, options, handlers)).rejects.toThrow(
      'localhost resolves only to private addresses',
    );
    await expect(
      readNewMessages({ ...target, host: '127.0.0.1' }, cursor, options, handlers),
    ).rejects.toThrow('127.0.0.1 is a private address');
    await expect(
      readNewMessages(target, cursor, { ...options, allowPrivate: true }, handlers),
    ).resolves.toEqual({ taken: 0, skipped: 0 });
  });
});
