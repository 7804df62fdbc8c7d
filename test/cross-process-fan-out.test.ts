import { connect as connectNats } from 'nats';
import { createClient } from 'redis';
import { expect, it } from 'vitest';
import type { RealtimeMessage } from '../src/platform/realtime/hub.ts';
import { describePostgresOnly } from './support/databases.ts';
import { makeWorkspace } from './support/factories.ts';
import { bearerFor } from './support/http.ts';
import { describeWithService, natsService, redisService } from './support/loopback-service.ts';
import { outputOf } from './support/server-process.ts';
import { openStream, type StreamClient } from './support/stream-client.ts';
import { type TwoNodes, useTwoNodes } from './support/two-nodes.ts';

/**
 * A ticket created on process A reaches a socket on process B (which runs no relay) with both
 * processes on RAPPORT_FANOUT=kind, and a plain client of the broker sees the same message go by.
 */
function acrossTwoProcesses(
  nodes: TwoNodes,
  watchBroker: (seen: RealtimeMessage[]) => Promise<() => Promise<void>>,
) {
  it('carries a ticket created on one process to a socket on the other through the broker', async () => {
    const [a, b] = nodes.servers;
    const { admin } = await makeWorkspace(nodes.database.db);
    const headers = await bearerFor(nodes.database, admin.actor);
    const onBroker: RealtimeMessage[] = [];
    const unwatch = await watchBroker(onBroker);
    let stream: StreamClient | undefined;
    try {
      stream = await openStream(`ws://127.0.0.1:${b.port}/api/v1/stream`, headers);
      const response = await fetch(`http://127.0.0.1:${a.port}/api/v1/tickets`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({
          subject: 'Fanned out by the broker',
          customer: { email: 'fan-out@example.test' },
          message: { body: 'Written on A, expected on B.' },
        }),
      });
      expect(response.status, await response.clone().text()).toBe(201);
      const ticket = (await response.json()) as { id: string };
      const isOurs = (type: string | undefined, data: Record<string, unknown> | undefined) =>
        type === 'ticket.created' && (data?.ticket as { id?: string } | undefined)?.id === ticket.id;
      await stream.waitFor((f) => isOurs(f.type, f.data), `ticket.created on process B's stream`, 30_000);
      expect(onBroker.some((m) => m.workspaceId === admin.actor.workspaceId && isOurs(m.type, m.data))).toBe(
        true,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${message}\n${nodes.servers.map(outputOf).join('\n')}`);
    } finally {
      stream?.close();
      await unwatch();
    }
  }, 60_000);
}

const nodeRoles: Parameters<typeof useTwoNodes>[2] = [
  { name: 'process A', roles: 'web,worker' },
  { name: 'process B', roles: 'web' },
];

await describeWithService(redisService, 'realtime across two processes through Redis', () => {
  describePostgresOnly('RAPPORT_FANOUT=redis', (serverUrl) => {
    const nodes = useTwoNodes(serverUrl, 'fanredis', nodeRoles, {
      RAPPORT_FANOUT: 'redis',
      REDIS_URL: redisService.url,
    });
    acrossTwoProcesses(nodes, async (seen) => {
      const client = createClient({ url: redisService.url });
      await client.connect();
      await client.subscribe('rapport_realtime', (payload) => seen.push(JSON.parse(payload)));
      return () => client.close();
    });
  });
});

await describeWithService(natsService, 'realtime across two processes through NATS', () => {
  describePostgresOnly('RAPPORT_FANOUT=nats', (serverUrl) => {
    const nodes = useTwoNodes(serverUrl, 'fannats', nodeRoles, {
      RAPPORT_FANOUT: 'nats',
      NATS_URL: natsService.url,
    });
    acrossTwoProcesses(nodes, async (seen) => {
      const connection = await connectNats({ servers: natsService.url });
      const subscription = connection.subscribe('rapport.realtime');
      void (async () => {
        for await (const message of subscription) seen.push(JSON.parse(message.string()));
      })();
      await connection.flush();
      return () => connection.drain();
    });
  });
});
