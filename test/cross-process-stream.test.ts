import { expect, it } from 'vitest';
import { describePostgresOnly } from './support/databases.ts';
import { makeUser, makeWorkspace } from './support/factories.ts';
import { bearerFor } from './support/http.ts';
import { outputOf } from './support/server-process.ts';
import { openStream, type StreamClient } from './support/stream-client.ts';
import { useTwoNodes } from './support/two-nodes.ts';

describePostgresOnly('realtime stream across two server processes', (serverUrl) => {
  // B runs no outbox relay, so whatever reaches its sockets was published by another process.
  const nodes = useTwoNodes(serverUrl, 'xproc', [
    { name: 'process A', roles: 'web,worker' },
    { name: 'process B', roles: 'web' },
  ]);

  it('delivers events and presence between sockets on different processes', async () => {
    const [a, b] = nodes.servers;
    const { admin } = await makeWorkspace(nodes.database.db);
    const headers = await bearerFor(nodes.database, admin.actor);
    let stream: StreamClient | undefined;
    let onA: StreamClient | undefined;
    try {
      stream = await openStream(`ws://127.0.0.1:${b.port}/api/v1/stream`, headers);
      const response = await fetch(`http://127.0.0.1:${a.port}/api/v1/tickets`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({
          subject: 'Seen from the other node',
          customer: { email: 'cross-process@example.test' },
          message: { body: 'Written on A, expected on B.' },
        }),
      });
      expect(response.status, await response.clone().text()).toBe(201);
      const ticket = (await response.json()) as { id: string };
      const created = await stream.waitFor(
        (f) =>
          f.type === 'ticket.created' && (f.data?.ticket as { id?: string } | undefined)?.id === ticket.id,
        `ticket.created for ${ticket.id} on process B's stream`,
        30_000,
      );
      expect(created.eventId).toEqual(expect.any(Number));

      // Presence takes the same road: a colleague on A sees the typist on B.
      const colleague = await makeUser(nodes.database.db, admin.actor.workspaceId, 'agent');
      onA = await openStream(
        `ws://127.0.0.1:${a.port}/api/v1/stream`,
        await bearerFor(nodes.database, colleague.actor),
      );
      stream.send({ type: 'presence', ticketId: ticket.id, state: 'typing' });
      const typing = await onA.waitFor(
        (f) => f.type === 'presence' && f.data?.ticketId === ticket.id,
        `presence for ${ticket.id} on process A's stream`,
        30_000,
      );
      expect(typing.data).toEqual({ ticketId: ticket.id, userId: admin.id, state: 'typing' });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${message}\n${nodes.servers.map(outputOf).join('\n')}`);
    } finally {
      stream?.close();
      onA?.close();
    }
  }, 60_000);
});
