import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { composeEmail } from '../../test/support/email.ts';
import { makeUser } from '../../test/support/factories.ts';
import { bearerFor, signedInWorkspace, testApp, testDeps } from '../../test/support/http.ts';
import { describeImapOnly, type ImapServer, startImapServer } from '../../test/support/imap-server.ts';
import { auditLog, emailMailboxes, inboundEmails, tickets } from '../db/schema/index.ts';
import type { Database, Db } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';

type Json = Record<string, unknown>;
const base = '/api/v1/channels/email/mailboxes';

describeImapOnly('IMAP mailbox routes', () => {
  let server: ImapServer;
  beforeAll(async () => {
    server = await startImapServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  describeEachDatabase('IMAP mailbox routes', (kind) => {
    let database: Database;
    let db: Db;
    let app: App;
    beforeAll(async () => {
      database = await sharedDatabase(kind);
      db = database.db;
      app = await testApp(database);
    });
    afterAll(async () => {
      await app?.close();
    });

    type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
    const call = async (
      headers: Record<string, string>,
      method: Method,
      url: string,
      payload?: Json,
      on = app,
    ) => {
      const response = await on.inject({ method, url, headers, payload });
      return {
        status: response.statusCode,
        body: (response.body ? response.json() : {}) as Json,
        text: response.body,
      };
    };

    const settings = (user: { username: string; password: string }, extra: Json = {}) => ({
      host: server.host,
      port: server.port,
      secure: false,
      username: user.username,
      password: user.password,
      ...extra,
    });

    it('lets an admin add, read, change and remove a mailbox, never showing or logging the password', async () => {
      const { headers } = await signedInWorkspace(database);
      const user = server.createUser();
      const created = await call(headers, 'POST', base, settings(user));
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        host: '127.0.0.1',
        port: server.port,
        secure: false,
        username: user.username,
        folder: 'INBOX',
        teamId: null,
        active: true,
        uidValidity: null,
        lastUid: 0,
        lastPolledAt: null,
        lastError: null,
      });
      expect(created.body).not.toHaveProperty('password');
      expect(created.text).not.toContain(user.password);
      const id = String(created.body.id);

      const [stored] = await db.select().from(emailMailboxes).where(eq(emailMailboxes.id, id));
      expect(stored!.passwordEncrypted).not.toContain(user.password);
      expect(testDeps(database).secretBox.open(stored!.passwordEncrypted)).toBe(user.password);

      const read = await call(headers, 'GET', `${base}/${id}`);
      expect(read.status).toBe(200);
      expect(read.text).not.toContain(user.password);
      const list = await call(headers, 'GET', base);
      expect((list.body.data as Json[]).map((m) => m.id)).toEqual([id]);
      expect(list.text).not.toContain(user.password);

      const paused = await call(headers, 'PATCH', `${base}/${id}`, { active: false, folder: 'Support' });
      expect(paused.status).toBe(200);
      expect(paused.body).toMatchObject({ active: false, folder: 'Support', username: user.username });
      const newPassword = `changed-${randomUUID()}`;
      const moved = await call(headers, 'PATCH', `${base}/${id}`, { password: newPassword });
      expect(moved.status).toBe(200);
      expect(moved.text).not.toContain(newPassword);

      const audit = await db.select().from(auditLog).where(eq(auditLog.targetId, id));
      expect(audit.length).toBeGreaterThan(0);
      expect(JSON.stringify(audit)).not.toContain(user.password);
      expect(JSON.stringify(audit)).not.toContain(newPassword);

      expect((await call(headers, 'DELETE', `${base}/${id}`)).status).toBe(204);
      expect((await call(headers, 'GET', `${base}/${id}`)).status).toBe(404);
    });

    it('refuses settings that cannot work, teams of other workspaces, duplicates and non-admins', async () => {
      const { workspace, headers } = await signedInWorkspace(database);
      const other = await signedInWorkspace(database);
      const foreignTeam = await call(other.headers, 'POST', '/api/v1/teams', {
        name: `Other ${randomUUID()}`,
      });
      expect(foreignTeam.status).toBe(201);
      const user = server.createUser();
      const refused = [
        { host: 'imap.example.test/inbox' },
        { host: 'imaps://imap.example.test' },
        { host: 'two words' },
        { host: '' },
        { port: 0 },
        { port: 70_000 },
        { username: '' },
        { password: '' },
        { folder: 'In\r\nbox' },
        { folder: '' },
        { teamId: foreignTeam.body.id },
        { teamId: 'not-a-uuid' },
        { surprise: true },
      ];
      for (const change of refused) {
        const response = await call(headers, 'POST', base, settings(user, change));
        expect(response.status, JSON.stringify(change)).toBe(400);
      }
      const { password: _, ...withoutPassword } = settings(user);
      expect((await call(headers, 'POST', base, withoutPassword)).status).toBe(400);
      expect((await call(headers, 'GET', base)).body.data).toEqual([]);

      const team = await call(headers, 'POST', '/api/v1/teams', { name: `Support ${randomUUID()}` });
      const created = await call(headers, 'POST', base, settings(user, { teamId: team.body.id }));
      expect(created.body.teamId).toBe(team.body.id);
      expect((await call(headers, 'POST', base, settings(user))).status).toBe(409);
      const id = String(created.body.id);
      // Another server without the password again would hand the stored one to that server.
      expect((await call(headers, 'PATCH', `${base}/${id}`, { host: 'imap.example.test' })).status).toBe(400);
      expect((await call(headers, 'PATCH', `${base}/${id}`, {})).status).toBe(400);

      const agent = await makeUser(db, workspace.id, 'agent');
      const agentHeaders = await bearerFor(database, agent.actor);
      expect((await call(agentHeaders, 'GET', base)).status).toBe(403);
      expect((await call(agentHeaders, 'POST', base, settings(server.createUser()))).status).toBe(403);
      expect((await call(agentHeaders, 'POST', `${base}/${id}/poll`)).status).toBe(403);
      for (const method of ['GET', 'PATCH', 'DELETE'] as const)
        expect(
          (
            await call(
              other.headers,
              method,
              `${base}/${id}`,
              method === 'PATCH' ? { active: false } : undefined,
            )
          ).status,
        ).toBe(404);
      expect((await call(other.headers, 'POST', `${base}/${id}/poll`)).status).toBe(404);
      expect((await call(headers, 'GET', `${base}/${id}`)).body).toMatchObject({ active: true });
    });

    it('refuses loopback and private hosts unless the configuration allows them', async () => {
      const strict = await testApp(database, { env: { RAPPORT_ALLOW_PRIVATE_TARGETS: 'false' } });
      try {
        const { headers } = await signedInWorkspace(database);
        const user = server.createUser();
        for (const host of [
          '127.0.0.1',
          'localhost',
          'imap.localhost',
          '10.0.0.8',
          '192.168.1.20',
          '::1',
          '[::1]',
          '169.254.169.254',
        ]) {
          const response = await call(headers, 'POST', base, settings(user, { host }), strict);
          expect(response.status, host).toBe(400);
        }
        const publicHost = await call(
          headers,
          'POST',
          base,
          settings(user, { host: 'imap.example.com' }),
          strict,
        );
        expect(publicHost.status).toBe(201);
        const patched = await call(
          headers,
          'PATCH',
          `${base}/${publicHost.body.id}`,
          { host: '127.0.0.1', password: 'x' },
          strict,
        );
        expect(patched.status).toBe(400);
      } finally {
        await strict.close();
      }
    });

    it('polls on demand: messages become tickets, a second poll takes nothing, a wrong password says so', async () => {
      const { workspace, headers } = await signedInWorkspace(database);
      const user = server.createUser();
      const subjects = [`Parcel lost ${randomUUID()}`, `Refund please ${randomUUID()}`];
      await server.append(
        user,
        'INBOX',
        await Promise.all(
          subjects.map((subject) =>
            composeEmail({
              from: 'Robin <robin@example.test>',
              to: 'help@shop.example.test',
              subject,
              text: 'Hello',
            }),
          ),
        ),
      );
      const created = await call(headers, 'POST', base, settings(user));
      const id = String(created.body.id);

      const polled = await call(headers, 'POST', `${base}/${id}/poll`);
      expect(polled.status).toBe(200);
      expect(polled.body).toMatchObject({
        taken: 2,
        counts: { stored: 2, duplicate: 0, bounce: 0, quarantined: 0 },
        skipped: 0,
        error: null,
        mailbox: { id, lastUid: 2, lastError: null },
      });
      const made = await db.select().from(tickets).where(eq(tickets.workspaceId, workspace.id));
      expect(made.map((t) => t.subject).sort()).toEqual([...subjects].sort());
      expect(made.every((t) => t.channel === 'email')).toBe(true);
      const raw = await db.select().from(inboundEmails).where(eq(inboundEmails.workspaceId, workspace.id));
      expect(raw.map((r) => r.source)).toEqual(['imap', 'imap']);

      const again = await call(headers, 'POST', `${base}/${id}/poll`);
      expect(again.body).toMatchObject({ taken: 0, error: null, mailbox: { lastUid: 2 } });

      // Rewinding the cursor shows the intake's Message-ID dedupe: nothing becomes a ticket twice.
      await db.update(emailMailboxes).set({ lastUid: 0 }).where(eq(emailMailboxes.id, id));
      const rewound = await call(headers, 'POST', `${base}/${id}/poll`);
      expect(rewound.body).toMatchObject({ taken: 2, counts: { stored: 0, duplicate: 2 } });
      expect(await db.select().from(tickets).where(eq(tickets.workspaceId, workspace.id))).toHaveLength(2);

      const wrong = `wrong-${randomUUID()}`;
      await call(headers, 'PATCH', `${base}/${id}`, { password: wrong });
      const failed = await call(headers, 'POST', `${base}/${id}/poll`);
      expect(failed.status).toBe(200);
      expect(failed.body).toMatchObject({ taken: 0, mailbox: { lastUid: 2 } });
      expect(failed.body.error).toMatch(/^Sign-in as .* failed/);
      expect((failed.body.mailbox as Json).lastError).toBe(failed.body.error);
      expect(failed.text).not.toContain(wrong);
      expect((await call(headers, 'GET', `${base}/${id}`)).text).not.toContain(wrong);
    });

    it('answers 422 while another poll holds the mailbox', async () => {
      const { headers } = await signedInWorkspace(database);
      const created = await call(headers, 'POST', base, settings(server.createUser()));
      const id = String(created.body.id);
      await db
        .update(emailMailboxes)
        .set({ lockedUntil: new Date(Date.now() + 60_000) })
        .where(eq(emailMailboxes.id, id));
      const busy = await call(headers, 'POST', `${base}/${id}/poll`);
      expect(busy.status).toBe(422);
      expect(busy.body.type).toMatch(/invalid_state/);
    });
  });
});
