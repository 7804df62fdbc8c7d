import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../../test/support/databases.ts';
import { makeTicket, makeUser, makeWorkspace } from '../../../test/support/factories.ts';
import { bearerFor, testDeps } from '../../../test/support/http.ts';
import { openStream, refusedStatus, type StreamFrame } from '../../../test/support/stream-client.ts';
import { buildApp } from '../../app.ts';
import { apiTokens } from '../../db/schema/index.ts';
import { createSession } from '../auth/credentials.ts';
import type { Database } from '../db/database.ts';
import type { Deps } from '../deps.ts';
import { SESSION_COOKIE } from '../http/authentication.ts';
import { type App, createHttpServer } from '../http/server.ts';
import { createOutboxRelay } from '../outbox/relay.ts';
import { createRealtimeHub, realtimeFanOut } from './hub.ts';
import { CLOSE_UNAUTHENTICATED, registerStreamRoutes } from './stream-routes.ts';

async function listen(app: App): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address !== 'object') throw new Error('The app is not listening');
  return `ws://127.0.0.1:${address.port}/api/v1/stream`;
}

const ticketIdOf = (frame: StreamFrame) => (frame.data?.ticket as { id?: string } | undefined)?.id;

describeEachDatabase('realtime stream', (kind) => {
  let database: Database;
  let deps: Deps;
  let app: App;
  let url: string;
  // Relays only the given workspace: other test files share this database and relay their own events.
  let drain: (workspaceId: string) => Promise<number>;
  // A second server with short intervals, so credential re-checks and heartbeats happen within a test.
  let quickDeps: Deps;
  let quickApp: App;
  let quickUrl: string;

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    deps = testDeps(database);
    app = await buildApp(deps);
    await deps.hub.start();
    url = await listen(app);
    drain = (workspaceId) =>
      createOutboxRelay({ database, handlers: [realtimeFanOut], logger: deps.logger, workspaceId }).drain();

    quickDeps = { ...deps, hub: createRealtimeHub(database, deps.logger) };
    quickApp = await createHttpServer({ ...quickDeps, version: 'test' });
    registerStreamRoutes(quickApp, quickDeps, { recheckMs: 200, heartbeatMs: 200 });
    quickUrl = await listen(quickApp);
  });

  afterAll(async () => {
    await app?.close();
    await quickApp?.close();
    await deps?.hub.stop();
  });

  it('refuses a connection without valid credentials', async () => {
    expect(await refusedStatus(url)).toBe(401);
    expect(await refusedStatus(url, { authorization: 'Bearer rpt_not-a-real-token' })).toBe(401);
  });

  it("delivers a workspace's domain events to its agents and to no other workspace", async () => {
    const { workspace, admin } = await makeWorkspace(database.db);
    const agent = await makeUser(database.db, workspace.id, 'agent');
    const light = await makeUser(database.db, workspace.id, 'light');
    const other = await makeWorkspace(database.db);
    const agentStream = await openStream(url, await bearerFor(database, agent.actor));
    const lightStream = await openStream(url, await bearerFor(database, light.actor));
    const outsider = await openStream(url, await bearerFor(database, other.admin.actor));
    try {
      expect(agentStream.frames[0]).toEqual({ type: 'hello', userId: agent.id, workspaceId: workspace.id });

      const ticket = await makeTicket(database.db, admin.actor);
      await drain(workspace.id);
      const created = await agentStream.waitFor(
        (f) => f.type === 'ticket.created' && ticketIdOf(f) === ticket.id,
        `ticket.created for ${ticket.id} on the agent's stream`,
      );
      expect(created.eventId).toEqual(expect.any(Number));
      await lightStream.waitFor(
        (f) => f.type === 'ticket.created' && ticketIdOf(f) === ticket.id,
        `ticket.created for ${ticket.id} on the light agent's stream`,
      );

      // Notifications arrive in commit order: once the outsider sees its own later event, ours would have come first.
      const theirs = await makeTicket(database.db, other.admin.actor);
      await drain(other.workspace.id);
      await outsider.waitFor(
        (f) => f.type === 'ticket.created' && ticketIdOf(f) === theirs.id,
        "the other workspace's own ticket.created",
      );
      expect(outsider.frames.filter((f) => ticketIdOf(f) === ticket.id)).toEqual([]);
      expect(agentStream.frames.filter((f) => ticketIdOf(f) === theirs.id)).toEqual([]);
    } finally {
      for (const stream of [agentStream, lightStream, outsider]) stream.close();
    }
  });

  it("shares presence between agents of a workspace and says 'left' when a socket goes away", async () => {
    const { workspace, admin } = await makeWorkspace(database.db);
    const agent = await makeUser(database.db, workspace.id, 'agent');
    const ticket = await makeTicket(database.db, admin.actor);
    const watcher = await openStream(url, await bearerFor(database, admin.actor));
    const typist = await openStream(url, await bearerFor(database, agent.actor));
    try {
      const presence = (state: string) => (f: StreamFrame) =>
        f.type === 'presence' && f.data?.ticketId === ticket.id && f.data?.state === state;

      typist.send({ type: 'presence', ticketId: ticket.id, state: 'viewing' });
      const viewing = await watcher.waitFor(presence('viewing'), "the other agent's viewing presence");
      expect(viewing.data).toEqual({ ticketId: ticket.id, userId: agent.id, state: 'viewing' });

      typist.send({ type: 'presence', ticketId: ticket.id, state: 'typing' });
      await watcher.waitFor(presence('typing'), "the other agent's typing presence");

      // A closed tab must not leave a ghost typist behind.
      typist.socket.close();
      const left = await watcher.waitFor(presence('left'), "'left' after the typist disconnected");
      expect(left.data?.userId).toBe(agent.id);
    } finally {
      watcher.close();
      typist.close();
    }
  });

  it('answers garbage with an error frame, limits rate and size, and never takes a user id from the client', async () => {
    const { workspace, admin } = await makeWorkspace(database.db);
    const agent = await makeUser(database.db, workspace.id, 'agent');
    const ticket = await makeTicket(database.db, admin.actor);
    const stream = await openStream(url, await bearerFor(database, agent.actor));
    const watcher = await openStream(url, await bearerFor(database, admin.actor));
    try {
      stream.send('not json');
      stream.send({ type: 'presence', ticketId: 'nope', state: 'viewing' });
      stream.send({ type: 'presence', ticketId: ticket.id, state: 'viewing', userId: admin.id });
      await stream.waitFor(
        (f) => f.type === 'error' && f.code === 'validation_failed' && String(f.message).includes('userId'),
        'an error frame naming the unexpected userId key',
      );
      expect(stream.frames.filter((f) => f.type === 'error')).toHaveLength(3);
      expect(stream.frames.every((f) => f.type !== 'error' || f.code === 'validation_failed')).toBe(true);

      // Still usable after bad frames.
      stream.send({ type: 'presence', ticketId: ticket.id, state: 'viewing' });
      await watcher.waitFor(
        (f) => f.type === 'presence' && f.data?.userId === agent.id,
        'presence after errors',
      );
      expect(watcher.frames.some((f) => f.type === 'presence' && f.data?.userId === admin.id)).toBe(false);

      stream.send({ type: 'presence', ticketId: ticket.id, state: 'viewing', pad: 'x'.repeat(2000) });
      expect((await stream.closed).code).toBe(1009);

      const flooder = await openStream(url, await bearerFor(database, agent.actor));
      for (let i = 0; i < 80; i++) flooder.send({ type: 'ping' });
      await flooder.waitFor(
        (f) => f.type === 'error' && f.code === 'rate_limited',
        'a rate_limited error frame',
      );
      expect((await flooder.closed).code).toBe(1008);
    } finally {
      stream.close();
      watcher.close();
    }
  });

  it('accepts a session cookie from this site only', async () => {
    const { admin } = await makeWorkspace(database.db);
    const session = await createSession(database.db, {
      userId: admin.id,
      workspaceId: admin.actor.workspaceId,
      ttlHours: 1,
      clock: deps.clock,
    });
    const cookie = `${SESSION_COOKIE}=${session.token}`;
    expect(await refusedStatus(url, { cookie, origin: 'https://evil.example' })).toBe(403);
    const host = new URL(url).host;
    const stream = await openStream(url, { cookie, origin: `http://${host}` });
    expect(stream.frames[0]).toMatchObject({ type: 'hello', userId: admin.id });
    stream.close();
  });

  it('closes with 4401 once the token is revoked', async () => {
    const { admin } = await makeWorkspace(database.db);
    const stream = await openStream(quickUrl, await bearerFor(database, admin.actor));
    await database.db.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.userId, admin.id));
    const closed = await stream.closed;
    expect(closed.code).toBe(CLOSE_UNAUTHENTICATED);
    expect(stream.frames.some((f) => f.type === 'error' && f.code === 'unauthenticated')).toBe(true);
  });

  it('terminates a socket that stops answering pings', async () => {
    const { admin } = await makeWorkspace(database.db);
    const stream = await openStream(quickUrl, await bearerFor(database, admin.actor));
    const before = quickDeps.hub.connectionCount();
    expect(before).toBeGreaterThan(0);
    // A paused client reads nothing, so it never answers a ping: the server must give up on it.
    stream.socket.pause();
    const deadline = Date.now() + 15_000;
    while (quickDeps.hub.connectionCount() >= before) {
      if (Date.now() > deadline) throw new Error('The server kept a socket that stopped answering pings');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    stream.close();
  });
});
