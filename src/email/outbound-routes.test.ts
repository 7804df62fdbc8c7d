import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket } from '../../test/support/factories.ts';
import { bearerFor, signedInTeam, testApp, testDeps } from '../../test/support/http.ts';
import { outboundWorld } from '../../test/support/outbound-email.ts';
import { type SmtpSink, startSmtpSink } from '../../test/support/smtp-sink.ts';
import { buildApp } from '../app.ts';
import { emailRelays, outboundEmails } from '../db/schema/index.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { loggerOptions } from '../platform/logger.ts';
import { createOutboundSender, NO_RELAY_ERROR } from './outbound-sender.ts';

const RELAY = '/api/v1/channels/email/relay';

describeEachDatabase('outbound email routes', (kind) => {
  let database: Database;
  let app: App;
  let strictApp: App;

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
    strictApp = await testApp(database, { env: { RAPPORT_ALLOW_PRIVATE_TARGETS: 'false' } });
  });
  afterAll(async () => {
    await app.close();
    await strictApp.close();
  });

  it('keeps relay settings for admins and validates them with problem documents', async () => {
    const team = await signedInTeam(database);
    const call = (method: 'GET' | 'PUT' | 'DELETE', payload?: unknown, headers = team.admin.headers) =>
      app.inject({
        method,
        url: RELAY,
        headers,
        ...(payload !== undefined && { payload: payload as object }),
      });

    expect((await call('GET')).json()).toEqual({ relay: null, usesDefaultRelay: false });
    const saved = await call('PUT', { host: 'SMTP.Relay.example', port: 465, username: 'shop' });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({
      relay: { host: 'smtp.relay.example', port: 465, secure: true, username: 'shop', hasPassword: false },
      usesDefaultRelay: false,
    });

    for (const [body, path] of [
      [{ host: 'smtp.relay.example', port: 0 }, 'port'],
      [{ host: 'smtp.relay.example', port: 70000 }, 'port'],
      [{ host: 'smtp.relay.example', port: '587' }, 'port'],
      [{ host: 'smtp.relay.example', port: 2.5 }, 'port'],
      [{ host: 'smtp://smtp.relay.example', port: 587 }, 'host'],
      [{ host: 'two words', port: 587 }, 'host'],
      [{ host: '', port: 587 }, 'host'],
      [{ port: 587 }, 'host'],
      [{ host: 'smtp.relay.example', port: 587, extra: true }, ''],
    ] as const) {
      const response = await call('PUT', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = response.json();
      expect(problem.type).toBe('urn:rapport:problem:validation_failed');
      expect(JSON.stringify(problem), JSON.stringify(body)).toContain(path);
    }
    // Nothing of a refused body was kept.
    expect((await call('GET')).json().relay).toMatchObject({ host: 'smtp.relay.example', port: 465 });

    for (const role of ['agent', 'light'] as const) {
      expect((await call('GET', undefined, team[role].headers)).statusCode).toBe(403);
      expect((await call('PUT', { host: 'evil.example', port: 25 }, team[role].headers)).statusCode).toBe(
        403,
      );
    }
    expect((await call('DELETE')).statusCode).toBe(204);
    expect((await call('GET')).json().relay).toBeNull();
  });

  it('refuses private and loopback relay hosts unless private targets are allowed', async () => {
    const team = await signedInTeam(database);
    for (const host of ['127.0.0.1', '10.0.0.8', 'localhost', '::1', '169.254.169.254']) {
      const response = await strictApp.inject({
        method: 'PUT',
        url: RELAY,
        headers: team.admin.headers,
        payload: { host, port: 25 },
      });
      expect(response.statusCode, host).toBe(400);
      expect(response.json().type).toBe('urn:rapport:problem:validation_failed');
    }
  });

  it('tells an admin without a relay so, and which relay the install would use', async () => {
    const team = await signedInTeam(database);
    const test = await app.inject({ method: 'POST', url: `${RELAY}/test`, headers: team.admin.headers });
    expect(test.statusCode).toBe(422);
    expect(test.json().detail).toBe(NO_RELAY_ERROR);

    const withDefault = await testApp(database, {
      env: { RAPPORT_SMTP_RELAY_URL: 'smtp://relay.example:587' },
    });
    try {
      const response = await withDefault.inject({ method: 'GET', url: RELAY, headers: team.admin.headers });
      expect(response.json()).toEqual({ relay: null, usesDefaultRelay: true });
    } finally {
      await withDefault.close();
    }
  });

  it('lists a ticket’s emails to any agent of its workspace, and lets an admin retry a failed one', async () => {
    const team = await signedInTeam(database);
    const other = await signedInTeam(database);
    const ticket = await makeTicket(database.db, team.admin.actor);
    const [failed] = await database.db
      .insert(outboundEmails)
      .values({
        workspaceId: team.workspace.id,
        kind: 'reply',
        dedupeKey: `reply:test-${ticket.id}`,
        ticketId: ticket.id,
        messageIdHeader: `<rapport.${ticket.id}@shop.example>`,
        fromAddress: 'help@shop.example',
        fromName: 'Help',
        toAddresses: ['casey@customer.example'],
        ccAddresses: ['boss@customer.example'],
        subject: 'Re: Hello [#1]',
        bodyText: 'Hello',
        status: 'failed',
        attempts: 3,
        lastError: '550 No such user',
      })
      .returning();
    const list = (headers: Record<string, string>, id = ticket.id) =>
      app.inject({ method: 'GET', url: `/api/v1/tickets/${id}/email-deliveries`, headers });

    const seen = await list(team.light.headers);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().data).toEqual([
      expect.objectContaining({
        id: failed!.id,
        kind: 'reply',
        status: 'failed',
        attempts: 3,
        lastError: '550 No such user',
        sentAt: null,
        to: ['casey@customer.example'],
        cc: ['boss@customer.example'],
        messageIdHeader: failed!.messageIdHeader,
      }),
    ]);
    expect((await list(other.admin.headers)).statusCode).toBe(404);

    const retry = (headers: Record<string, string>, id = failed!.id) =>
      app.inject({ method: 'POST', url: `/api/v1/channels/email/deliveries/${id}/retry`, headers });
    expect((await retry(team.agent.headers)).statusCode).toBe(403);
    expect((await retry(other.admin.headers)).statusCode).toBe(404);
    const requeued = await retry(team.admin.headers);
    expect(requeued.statusCode).toBe(200);
    expect(requeued.json()).toMatchObject({ status: 'queued', attempts: 0, lastError: null });
    expect(requeued.json().messageIdHeader).toBe(failed!.messageIdHeader);
    const again = await retry(team.admin.headers);
    expect(again.statusCode).toBe(422);
    expect(again.json().type).toBe('urn:rapport:problem:invalid_state');
  });

  it("keeps each user's own notification choices for the workspace", async () => {
    const team = await signedInTeam(database);
    const url = '/api/v1/me/email-notifications';
    const get = (headers: Record<string, string>) => app.inject({ method: 'GET', url, headers });
    expect((await get(team.agent.headers)).json()).toEqual({
      ticketAssigned: false,
      customerReplied: false,
      weeklySummary: true,
    });
    const put = await app.inject({
      method: 'PUT',
      url,
      headers: team.light.headers,
      payload: { ticketAssigned: true, customerReplied: false },
    });
    expect(put.statusCode).toBe(200);
    expect((await get(team.light.headers)).json()).toEqual({
      ticketAssigned: true,
      customerReplied: false,
      weeklySummary: true,
    });
    expect((await get(team.agent.headers)).json()).toEqual({
      ticketAssigned: false,
      customerReplied: false,
      weeklySummary: true,
    });
    const bad = await app.inject({
      method: 'PUT',
      url,
      headers: team.agent.headers,
      payload: { ticketAssigned: 'yes' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    for (const path of [
      RELAY,
      `${RELAY}/test`,
      '/api/v1/tickets/{id}/email-deliveries',
      '/api/v1/channels/email/deliveries/{id}/retry',
      '/api/v1/me/email-notifications',
    ])
      expect(Object.keys(doc.paths), path).toContain(path);
    expect(
      doc.paths[RELAY].put.requestBody.content['application/json'].schema.properties.password,
    ).toBeDefined();
    expect(JSON.stringify(doc.paths[RELAY].get.responses)).not.toContain('"password"');
  });
});

describeEachDatabase('outbound relay password', (kind) => {
  const password = 'Relay-Pa55word-never-shown';
  let database: Database;
  let sink: SmtpSink;
  const lines: string[] = [];

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    sink = await startSmtpSink({ credentials: { username: 'shop-relay', password } });
  });
  afterAll(() => sink.close());

  describe('with every log line kept', () => {
    it('never appears in an API response, a log line, the audit log or the database, yet logs in to the relay', async () => {
      const logger = pino(loggerOptions('trace'), { write: (line: string) => void lines.push(line) });
      const world = await outboundWorld(database);
      const deps = { ...testDeps(database), logger };
      const app = await buildApp(deps);
      await app.ready();
      const headers = await bearerFor(database, world.admin.actor);
      const bodies: string[] = [];
      const call = async (method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) => {
        const response = await app.inject({ method, url, headers, ...(payload && { payload }) });
        bodies.push(response.body);
        return response;
      };
      try {
        const relay = { host: sink.host, port: sink.port, username: 'shop-relay' };
        expect((await call('PUT', RELAY, { ...relay, password: 'wrong-password' })).statusCode).toBe(200);
        const refused = (await call('POST', `${RELAY}/test`)).json();
        expect(refused).toMatchObject({ ok: false, source: 'workspace' });
        expect(refused.error).toContain('535');

        const saved = await call('PUT', RELAY, { ...relay, password });
        expect(saved.json().relay).toMatchObject({ username: 'shop-relay', hasPassword: true });
        // Left out, the password stays; moved to another host, it does not follow.
        expect((await call('PUT', RELAY, { ...relay, secure: false })).json().relay.hasPassword).toBe(true);
        expect((await call('GET', RELAY)).json().relay.hasPassword).toBe(true);
        const ok = (await call('POST', `${RELAY}/test`)).json();
        expect(ok).toEqual({ ok: true, error: null, source: 'workspace' });
        expect(sink.messages.at(-1)).toMatchObject({ user: 'shop-relay', to: [world.admin.email] });

        const ticket = await makeTicket(database.db, world.admin.actor);
        await world.reply(ticket.id);
        await world.relay.drain();
        await createOutboundSender(deps, { workspaceId: world.workspace.id }).runDue();
        expect(sink.messages.at(-1)!.user).toBe('shop-relay');
        await call('GET', `/api/v1/tickets/${ticket.id}/email-deliveries`);
        await call('GET', '/api/v1/audit');
        const [row] = await database.db
          .select()
          .from(emailRelays)
          .where(eq(emailRelays.workspaceId, world.workspace.id));
        expect(row!.passwordEncrypted).not.toContain(password);

        const moved = await call('PUT', RELAY, { ...relay, host: 'other.relay.example' });
        expect(moved.json().relay.hasPassword).toBe(false);
      } finally {
        await app.close();
      }
      expect(lines.length).toBeGreaterThan(10);
      expect(bodies.filter((body) => body.includes(password))).toEqual([]);
      expect(lines.filter((line) => line.includes(password))).toEqual([]);
    });
  });
});
