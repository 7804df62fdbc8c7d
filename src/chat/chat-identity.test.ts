import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { chatWorld } from '../../test/support/chat-client.ts';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { openStream } from '../../test/support/stream-client.ts';
import { hmacSha256 } from '../platform/crypto.ts';
import type { Database } from '../platform/db/database.ts';

type Json = Record<string, unknown>;

/** Asks until `read` returns something, for effects of the outbox relay (which runs after commit). */
async function eventually<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 150; i++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Never saw ${what}`);
}

describeEachDatabase('live chat identity, isolation and offline answers', (kind) => {
  let database: Database;
  const cleanups: (() => Promise<void> | void)[] = [];
  const world = (env?: Record<string, string>) => chatWorld(database, cleanups, env);

  beforeAll(async () => {
    database = await sharedDatabase(kind);
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("recognises a signed-in customer by the site's HMAC on every device, and refuses a forged one", async () => {
    const w = await world();
    const { body } = await w.api('GET', '/api/v1/chat/identity-secret', undefined, w.adminHeaders);
    const secret = body.secret as string;
    const userId = `user-${randomUUID()}`;
    const user = {
      id: userId,
      hash: hmacSha256(secret, userId),
      name: 'Robin Signed',
      email: 'robin@example.test',
    };

    const laptop = await w.visitor({ user });
    expect(laptop.ready.verified).toBe(true);
    const ticketId = (await laptop.say('From my laptop')).conversationId as string;
    const ticket = await w.api('GET', `/api/v1/tickets/${ticketId}`);
    const customer = await w.api('GET', `/api/v1/customers/${(ticket.body.customer as Json).id}`);
    expect(customer.body.identities).toEqual(
      expect.arrayContaining([
        { kind: 'external_id', value: userId },
        { kind: 'email', value: 'robin@example.test' },
      ]),
    );

    // Another device: a different visitor id, the same history because the user is verified.
    const phone = await w.visitor({ user });
    expect(phone.ready.visitorId).not.toBe(laptop.ready.visitorId);
    expect((phone.ready.conversations as Json[]).map((c) => c.id)).toEqual([ticketId]);
    expect(await phone.say('And from my phone', { conversationId: ticketId })).toMatchObject({ seq: 2 });

    const base = `${w.live.url.replace('http', 'ws')}/api/v1/chat/ws?workspace=${w.workspace.slug}`;
    const forger = await openStream(base);
    forger.send({ type: 'identify', user: { id: userId, hash: hmacSha256('guessed', userId) } });
    expect(await forger.closed).toEqual({ code: 4403, reason: 'Identity verification failed' });

    // After a rotation the old hash no longer works.
    await w.api('POST', '/api/v1/chat/identity-secret/rotate', undefined, w.adminHeaders);
    const stale = await openStream(base);
    stale.send({ type: 'identify', user });
    expect((await stale.closed).code).toBe(4403);
  });

  it("keeps workspaces apart: another workspace's token, conversation and chat state are not reachable", async () => {
    const a = await world();
    const b = await world();
    const visitorA = await a.visitor();
    const ticketA = (await visitorA.say('secret order 1234')).conversationId as string;

    // A's token means nothing to B: B hands out a fresh visitor.
    const inB = await b.visitor({ token: visitorA.token, resume: [{ conversationId: ticketA, lastSeq: 0 }] });
    expect(inB.ready.visitorId).not.toBe(visitorA.ready.visitorId);
    expect(inB.ready.conversations).toEqual([]);
    inB.send({ type: 'resume', conversationId: ticketA, lastSeq: 0 });
    await inB.waitFor((f) => f.type === 'error' && f.code === 'not_found', 'refusal to resume');
    expect(inB.messages()).toEqual([]);

    const history = await b.api(
      'GET',
      `/api/v1/chat/history?workspace=${b.workspace.slug}&conversation=${ticketA}`,
      undefined,
      { 'x-rapport-visitor': visitorA.token },
    );
    expect(history.status).toBe(401);
    expect((await b.api('GET', `/api/v1/chat/conversations/${ticketA}`)).status).toBe(404);

    // Within A, another anonymous visitor cannot read the first one's conversation either.
    const stranger = await a.visitor();
    stranger.send({ type: 'resume', conversationId: ticketA, lastSeq: 0 });
    await stranger.waitFor((f) => f.type === 'error' && f.code === 'not_found', 'refusal to resume');
    const sneaky = await stranger.say('hijack?', { conversationId: ticketA });
    expect(sneaky.conversationId).not.toBe(ticketA);
  });

  it('emails the answer to a visitor who left an address and went away, and not while they are online', async () => {
    const w = await world();
    const visitor = await w.visitor();
    const ticketId = (await visitor.say('Are you there?')).conversationId as string;
    visitor.send({ type: 'email', email: 'away@example.test' });
    await visitor.waitFor((f) => f.type === 'email_saved' && f.attached === true, 'email saved');

    // Online: the answer reaches the widget, and no email is queued for it.
    await w.reply(ticketId, 'Yes, here!');
    await visitor.waitForMessage((m) => m.text === 'Yes, here!', 'the answer in the widget');
    const deliveries = () => w.api('GET', `/api/v1/tickets/${ticketId}/email-deliveries`);
    expect((await deliveries()).body.data).toEqual([]);

    visitor.close();
    await w.stream.waitFor((f) => f.type === 'chat.visitor' && f.data?.online === false, 'visitor offline');
    await w.reply(ticketId, 'Sorry we missed you: your parcel ships today.');
    const emailed = await eventually(async () => {
      const data = (await deliveries()).body.data as Json[];
      return data.length ? data : undefined;
    }, 'the emailed answer');
    expect(emailed).toHaveLength(1);
    expect(emailed[0]).toMatchObject({ kind: 'reply', to: ['away@example.test'] });
  });

  it('serves widget settings to the public and lets admins change them', async () => {
    const w = await world();
    const put = await w.api(
      'PUT',
      '/api/v1/chat/settings',
      {
        brandColor: '#ff6600',
        greeting: 'Hello there',
        // Open on no day at all: always outside office hours.
        officeHours: { timeZone: 'Europe/Paris', days: {} },
        preChatForm: { enabled: true, fields: [{ key: 'order', label: 'Order number', required: false }] },
      },
      w.adminHeaders,
    );
    expect(put.status).toBe(200);
    expect((await w.api('PUT', '/api/v1/chat/settings', { greeting: 'no' })).status).toBe(403);
    const bad = await w.api(
      'PUT',
      '/api/v1/chat/settings',
      { officeHours: { timeZone: 'Mars/Olympus', days: {} } },
      w.adminHeaders,
    );
    expect(bad.status).toBe(400);

    const response = await fetch(`${w.live.url}/api/v1/chat/widget?workspace=${w.workspace.slug}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      brandColor: '#ff6600',
      greeting: 'Hello there',
      online: false,
      preChatForm: { enabled: true },
    });
    const visitor = await w.visitor();
    expect(visitor.ready.online).toBe(false);
  });
});
