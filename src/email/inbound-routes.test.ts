import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { composeEmail, uniqueAddress } from '../../test/support/email.ts';
import { signedInTeam, signedInWorkspace, testApp } from '../../test/support/http.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';

type Json = Record<string, unknown>;

describeEachDatabase('email routes', (kind) => {
  let database: Database;
  let app: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  const inbound = (headers: Record<string, string>, raw: Buffer | string, type = 'message/rfc822') =>
    app.inject({
      method: 'POST',
      url: '/api/v1/channels/email/inbound',
      headers: { ...headers, 'content-type': type },
      payload: raw,
    });

  it('manages support addresses: normalised, one default, unique across workspaces, 404 elsewhere', async () => {
    const { headers } = await signedInWorkspace(database);
    const other = await signedInWorkspace(database);
    const address = uniqueAddress();
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/channels/email/addresses',
      headers,
      payload: { address: `  ${address.toUpperCase()} `, displayName: 'Acme Support', isDefault: true },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ address, displayName: 'Acme Support', isDefault: true });
    const second = await app.inject({
      method: 'POST',
      url: '/api/v1/channels/email/addresses',
      headers,
      payload: { address: uniqueAddress('billing'), isDefault: true },
    });
    const list = await app.inject({ method: 'GET', url: '/api/v1/channels/email/addresses', headers });
    const defaults = (list.json().data as Json[]).filter((row) => row.isDefault).map((row) => row.id);
    expect(defaults).toEqual([second.json().id]);

    const taken = await app.inject({
      method: 'POST',
      url: '/api/v1/channels/email/addresses',
      headers: other.headers,
      payload: { address },
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.headers['content-type']).toContain('application/problem+json');
    for (const bad of [
      { address: 'not-an-address' },
      { address: 'a+b@example.test' },
      { address: uniqueAddress(), teamId: crypto.randomUUID() },
      { address: uniqueAddress(), extra: 1 },
    ]) {
      const refused = await app.inject({
        method: 'POST',
        url: '/api/v1/channels/email/addresses',
        headers,
        payload: bad,
      });
      expect(refused.statusCode, JSON.stringify(bad)).toBe(400);
      expect(refused.json().type).toBe('urn:rapport:problem:validation_failed');
    }
    const foreign = await app.inject({
      method: 'PATCH',
      url: `/api/v1/channels/email/addresses/${created.json().id}`,
      headers: other.headers,
      payload: { displayName: 'Mine now' },
    });
    expect(foreign.statusCode).toBe(404);
    const removed = await app.inject({
      method: 'DELETE',
      url: `/api/v1/channels/email/addresses/${created.json().id}`,
      headers,
    });
    expect(removed.statusCode).toBe(204);
  });

  it('takes raw MIME through the inbound webhook into the caller workspace and counts it', async () => {
    const { headers } = await signedInWorkspace(database);
    const raw = await composeEmail({
      from: 'web@example.test',
      to: 'whoever@example.test',
      subject: 'Via API',
      text: 'hello',
    });
    const stored = await inbound(headers, raw);
    expect(stored.statusCode).toBe(200);
    expect(stored.json()).toMatchObject({ status: 'stored', reason: null });
    const ticket = await app.inject({
      method: 'GET',
      url: `/api/v1/tickets/${stored.json().ticketId}`,
      headers,
    });
    expect(ticket.json()).toMatchObject({ subject: 'Via API', channel: 'email' });
    expect((await inbound(headers, raw)).json()).toMatchObject({ status: 'duplicate' });
    const stats = await app.inject({ method: 'GET', url: '/api/v1/channels/email/stats', headers });
    expect(stats.json()).toEqual({ received: 2, stored: 1, duplicates: 1, quarantined: 0 });
    const empty = await inbound(headers, '', 'message/rfc822');
    expect(empty.statusCode).toBe(415);
    const json = await app.inject({
      method: 'POST',
      url: '/api/v1/channels/email/inbound',
      headers,
      payload: { raw: 'x' },
    });
    expect(json.statusCode).toBe(415);
    expect(json.headers['content-type']).toContain('application/problem+json');
  });

  it('lists the quarantine with reasons, hands out the raw source, releases and deletes', async () => {
    const { headers } = await signedInWorkspace(database);
    const anonymous = Buffer.from('To: support@example.test\r\nSubject: Who am I\r\n\r\nNo sender here\r\n');
    expect((await inbound(headers, anonymous)).json()).toMatchObject({
      status: 'quarantined',
      reason: 'no sender address',
    });
    const list = await app.inject({ method: 'GET', url: '/api/v1/channels/email/quarantine', headers });
    const [held] = list.json().data as Json[];
    expect(held).toMatchObject({ reason: 'no sender address', subject: 'Who am I', source: 'api' });
    const raw = await app.inject({
      method: 'GET',
      url: `/api/v1/channels/email/quarantine/${held!.id}/raw`,
      headers,
    });
    expect(raw.headers['content-type']).toBe('message/rfc822');
    expect(raw.rawPayload.equals(anonymous)).toBe(true);
    const again = await app.inject({
      method: 'POST',
      url: `/api/v1/channels/email/quarantine/${held!.id}/release`,
      headers,
    });
    expect(again.json()).toMatchObject({ status: 'quarantined' });
    const [renewed] = (
      await app.inject({ method: 'GET', url: '/api/v1/channels/email/quarantine', headers })
    ).json().data as Json[];
    expect(renewed!.id).not.toBe(held!.id);
    const deleted = await app.inject({
      method: 'DELETE',
      url: `/api/v1/channels/email/quarantine/${renewed!.id}`,
      headers,
    });
    expect(deleted.statusCode).toBe(204);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/channels/email/quarantine', headers })).json().data,
    ).toEqual([]);
  });

  it('keeps the email settings to admins', async () => {
    const { agent, light } = await signedInTeam(database);
    for (const who of [agent, light]) {
      const refused = await app.inject({
        method: 'GET',
        url: '/api/v1/channels/email/stats',
        headers: who.headers,
      });
      expect(refused.statusCode).toBe(403);
      const raw = await composeEmail({
        from: 'x@example.test',
        to: 'y@example.test',
        subject: 's',
        text: 't',
      });
      expect((await inbound(who.headers, raw)).statusCode).toBe(403);
    }
  });
});
