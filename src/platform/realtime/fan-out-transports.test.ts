import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, sharedDatabase } from '../../../test/support/databases.ts';
import { eventually } from '../../../test/support/eventually.ts';
import {
  describeWithService,
  natsService,
  reachable,
  redisService,
} from '../../../test/support/loopback-service.ts';
import type { Database } from '../db/database.ts';
import { createLogger } from '../logger.ts';
import type { OutboxEvent } from '../outbox/outbox.ts';
import { sendAfterCommit } from './commit-gate.ts';
import { createRealtimeHub, type RealtimeMessage, realtimeFanOut, routeRealtimeThrough } from './hub.ts';
import { createNatsTransport } from './nats-transport.ts';
import { createRedisTransport } from './redis-transport.ts';
import type { FanOutTransport } from './transport.ts';

const logger = createLogger('silent');

/** Two hubs, each with its own connections, as two nodes would have; a channel of this run's own. */
function twoNodeSuite(open: (channel: string) => Promise<FanOutTransport>) {
  let database: Database;
  const transports: FanOutTransport[] = [];
  const channel = `rapport_test_${randomUUID().slice(0, 8)}`;
  beforeAll(async () => {
    database = await sharedDatabase('pglite');
  });
  afterAll(async () => {
    for (const transport of transports) await transport.close();
  });

  async function node() {
    const transport = await open(channel);
    transports.push(transport);
    const hub = createRealtimeHub(database, logger, transport);
    await hub.start();
    return { hub, transport };
  }

  function inbox(hub: ReturnType<typeof createRealtimeHub>, workspaceId: string) {
    const seen: RealtimeMessage[] = [];
    hub.subscribe(workspaceId, (message) => seen.push(message));
    return seen;
  }

  it('delivers what one node publishes to the other, both ways', async () => {
    const [a, b] = [await node(), await node()];
    const workspaceId = randomUUID();
    const atA = inbox(a.hub, workspaceId);
    const atB = inbox(b.hub, workspaceId);
    await a.hub.publish(database.db, { workspaceId, type: 'chat.typing', data: { from: 'a' } });
    await b.hub.publish(database.db, { workspaceId, type: 'chat.typing', data: { from: 'b' } });
    await eventually(() => atA.length >= 2 && atB.length >= 2, 'both nodes to hear both messages', 10_000);
    expect(atA.map((m) => m.data.from).sort()).toEqual(['a', 'b']);
    expect(atB.map((m) => m.data.from).sort()).toEqual(['a', 'b']);
    // Another workspace's subscriber hears none of it.
    expect(inbox(b.hub, randomUUID())).toEqual([]);
  });

  it('carries the outbox fan-out of this process in order once routed through it', async () => {
    const [a, b] = [await node(), await node()];
    const workspaceId = randomUUID();
    const atB = inbox(b.hub, workspaceId);
    const events: OutboxEvent[] = [1, 2, 3].map((id) => ({
      id,
      workspaceId,
      type: 'ticket.updated',
      payload: id === 2 ? { id: 'big', text: 'x'.repeat(8000) } : { id: `t${id}` },
      createdAt: new Date(),
    }));
    const unroute = routeRealtimeThrough(a.transport);
    try {
      await database.db.transaction((tx) => realtimeFanOut.handleBatch!(tx, events));
      await realtimeFanOut.handle(database.db, { ...events[0]!, id: 4 });
    } finally {
      unroute();
    }
    await eventually(() => atB.length >= 4, 'four fan-out messages', 10_000);
    expect(atB.map((m) => m.eventId)).toEqual([1, 2, 3, 4]);
    expect(atB[1]!.data).toEqual({ truncated: true, id: 'big' });
  });

  for (const kind of databaseKinds()) {
    it(`sends what a transaction publishes after its commit and never after a rollback (${kind})`, async () => {
      const db = (await sharedDatabase(kind)).db;
      const [a, b] = [await node(), await node()];
      const gated = sendAfterCommit(a.transport, await sharedDatabase(kind), logger);
      const workspaceId = randomUUID();
      const atB = inbox(b.hub, workspaceId);
      const message = (n: number) => JSON.stringify({ workspaceId, type: 'ping', data: { n } });
      await db
        .transaction(async (tx) => {
          await gated.publish(tx, [message(1)]);
          tx.rollback();
        })
        .catch(() => {});
      let heardBeforeCommit = -1;
      await db.transaction(async (tx) => {
        await gated.publish(tx, [message(2), message(3)]);
        // Long enough for an ungated publish to have arrived.
        await new Promise((resolve) => setTimeout(resolve, 300));
        heardBeforeCommit = atB.length;
      });
      await gated.publish(db, [message(4)]);
      await eventually(() => atB.length >= 3, 'the committed and the plain messages', 10_000);
      expect(heardBeforeCommit).toBe(0);
      // Rolled back: never sent. Committed: sent together, in order.
      expect(atB.map((m) => m.data.n).sort()).toEqual([2, 3, 4]);
      expect(atB.filter((m) => m.data.n !== 4).map((m) => m.data.n)).toEqual([2, 3]);
    });
  }

  return { node, inbox, database: () => database };
}

describe('a broker that never answers', () => {
  it('fails startup with the reason instead of waiting forever', async () => {
    await expect(createRedisTransport({ url: 'redis://:hunter2@127.0.0.1:1', logger })).rejects.toThrow(
      'Redis at redis://:***@127.0.0.1:1 does not answer (RAPPORT_FANOUT=redis)',
    );
    await expect(createNatsTransport({ url: 'nats://127.0.0.1:1', logger })).rejects.toThrow(
      'NATS at nats://127.0.0.1:1 does not answer (RAPPORT_FANOUT=nats)',
    );
  });
});

await describeWithService(redisService, 'redis fan-out', () => {
  const clientName = `rapport-test-${randomUUID().slice(0, 8)}`;
  const { node, inbox, database } = twoNodeSuite((channel) =>
    createRedisTransport({ url: redisService.url, logger, channel, clientName }),
  );

  it('reconnects and resubscribes after Redis drops its connections', async () => {
    const [a, b] = [await node(), await node()];
    const workspaceId = randomUUID();
    const atB = inbox(b.hub, workspaceId);
    const admin = createClient({ url: redisService.url });
    await admin.connect();
    try {
      const list = await admin.sendCommand<string>(['CLIENT', 'LIST']);
      const ours = list.split('\n').filter((line) => line.includes(`name=${clientName} `));
      expect(ours.length).toBeGreaterThanOrEqual(4);
      for (const line of ours) await admin.sendCommand(['CLIENT', 'KILL', 'ID', /id=(\d+)/.exec(line)![1]!]);
    } finally {
      await admin.close();
    }
    // Published until one gets through: the first may fall into the moment both are down.
    let sent = 0;
    await eventually(
      async () => {
        await a.hub.publish(database().db, { workspaceId, type: 'ping', data: { n: ++sent } });
        return atB.length > 0;
      },
      'a message across the reconnected connections',
      20_000,
    );
  });
});

await describeWithService(natsService, 'nats fan-out', () => {
  twoNodeSuite((subject) => createNatsTransport({ url: natsService.url, logger, subject }));

  it('reconnects and resubscribes after the NATS server restarts', async () => {
    const server = await privateNatsServer();
    const database = await sharedDatabase('pglite');
    const [a, b] = [
      await createNatsTransport({ url: server.url, logger }),
      await createNatsTransport({ url: server.url, logger }),
    ];
    try {
      const hubA = createRealtimeHub(database, logger, a);
      const hubB = createRealtimeHub(database, logger, b);
      await hubB.start();
      const workspaceId = randomUUID();
      const seen: RealtimeMessage[] = [];
      hubB.subscribe(workspaceId, (message) => seen.push(message));
      await server.restart();
      let sent = 0;
      await eventually(
        async () => {
          await hubA.publish(database.db, { workspaceId, type: 'ping', data: { n: ++sent } });
          return seen.length > 0;
        },
        'a message across the restarted server',
        20_000,
      );
    } finally {
      await a.close();
      await b.close();
      server.stop();
    }
  });
});

/** A nats-server of this test's own on a free port, which it can stop and start again. */
async function privateNatsServer() {
  const binary = execFileSync('sh', ['-c', 'command -v nats-server || echo /usr/sbin/nats-server'])
    .toString()
    .trim();
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address() as { port: number };
      probe.close(() => resolve(address.port));
    });
  });
  const url = `nats://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(binary, ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    await eventually(() => reachable(url), `nats-server on port ${port}`, 10_000);
  };
  const stop = () => child?.kill('SIGKILL');
  await start();
  return {
    url,
    stop,
    async restart() {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      stop();
      await exited;
      await start();
    },
  };
}
