// Secrets given to or made by the API are never readable from the database: every secret kind is set
// through its route (with an Idempotency-Key where the route takes a POST, since stored answers are
// rows too), then every row of every table is read as text and searched for the plain values.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Database, queryRows } from '../../src/platform/db/database.ts';
import type { App } from '../../src/platform/http/server.ts';
import { describeEachDatabase, sharedDatabase } from '../support/databases.ts';
import { signedInWorkspace, testApp } from '../support/http.ts';

type Json = Record<string, unknown>;

describeEachDatabase('secrets at rest', (kind) => {
  let database: Database;
  let app: App;

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database, { env: { RAPPORT_ALLOW_PRIVATE_TARGETS: 'false' } });
  });
  afterAll(() => app.close());

  it('keeps no password, token or signing secret in plain text in any table', async () => {
    const { workspace, headers } = await signedInWorkspace(database);
    let keys = 0;
    const call = async (method: 'POST' | 'PUT', url: string, payload: Json = {}) => {
      const response = await app.inject({
        method,
        url,
        headers: { ...headers, 'idempotency-key': `secrets-${++keys}` },
        payload,
      });
      expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
      return response.json() as Json;
    };
    const mark = `${workspace.id.slice(0, 8)}`;
    const given = {
      relayPassword: `relay-pass-${mark}`,
      imapPassword: `imap-pass-${mark}`,
      whatsappSecret: `wa-secret-${mark}`,
      whatsappToken: `wa-token-${mark}`,
      telegramSecret: `tg-secret-${mark}`,
      telegramToken: `tg-token-${mark}`,
      genericSecret: `bridge-secret-${mark}`,
    };
    await call('PUT', '/api/v1/channels/email/relay', {
      host: 'smtp.example.com',
      port: 587,
      username: 'relay-user',
      password: given.relayPassword,
    });
    await call('POST', '/api/v1/channels/email/mailboxes', {
      host: 'imap.example.com',
      port: 993,
      secure: true,
      username: 'support',
      password: given.imapPassword,
    });
    for (const account of [
      {
        kind: 'whatsapp',
        name: 'WhatsApp',
        secret: given.whatsappSecret,
        token: given.whatsappToken,
        // Not searched for: Meta sends it in the clear in a URL to confirm a subscription; it grants nothing.
        verifyToken: `wa-verify-${mark}`,
        settings: { phoneNumberId: 'PHONE_1' },
      },
      { kind: 'telegram', name: 'Telegram', secret: given.telegramSecret, token: given.telegramToken },
      {
        kind: 'generic',
        name: 'Bridge',
        secret: given.genericSecret,
        settings: { outboundUrl: 'https://bridge.example.com/out' },
      },
    ])
      await call('POST', '/api/v1/channels/accounts', account);
    // Made by the server and shown once: the caller's copy is the only plain one.
    const made = {
      webhookSecret: String(
        (await call('POST', '/api/v1/webhooks', { url: 'https://hooks.example.com/in', events: ['*'] }))
          .secret,
      ),
      apiToken: String((await call('POST', '/api/v1/tokens', { name: 'ci' })).token),
      identitySecret: String((await call('POST', '/api/v1/chat/identity-secret/rotate')).secret),
    };
    for (const value of Object.values(made)) expect(value.length).toBeGreaterThan(15);
    // A retry of the same request still gets the one-time secret back, from the sealed answer.
    const retried = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { ...headers, 'idempotency-key': `secrets-${keys - 1}` },
      payload: { name: 'ci' },
    });
    expect(retried.headers['idempotent-replayed']).toBe('true');
    expect(retried.json().token).toBe(made.apiToken);

    const tables = await queryRows<{ schema: string; name: string }>(
      database.db,
      sql`SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
          WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    expect(tables.length).toBeGreaterThan(50);
    const found: string[] = [];
    for (const [label, value] of Object.entries({ ...given, ...made })) {
      for (const table of tables) {
        const [row] = await queryRows<{ hits: number }>(
          database.db,
          sql`SELECT count(*)::int AS hits FROM ${sql.identifier(table.schema)}.${sql.identifier(table.name)} t
              WHERE strpos(t::text, ${value}) > 0`,
        );
        if (row!.hits > 0) found.push(`${label} in ${table.schema}.${table.name}`);
      }
    }
    expect(found).toEqual([]);
  });
});
