import { expect, it } from 'vitest';
import { openVisitor, type VisitorClient } from './support/chat-client.ts';
import { describePostgresOnly } from './support/databases.ts';
import { makeUser, makeWorkspace } from './support/factories.ts';
import { bearerFor } from './support/http.ts';
import { outputOf } from './support/server-process.ts';
import { openStream, type StreamClient } from './support/stream-client.ts';
import { useTwoNodes } from './support/two-nodes.ts';

describePostgresOnly('live chat across two server processes', (serverUrl) => {
  // A only serves sockets; B also runs the relay. Whatever reaches A's visitor came through PostgreSQL.
  const nodes = useTwoNodes(serverUrl, 'chatx', [
    { name: 'node A', roles: 'web' },
    { name: 'node B', roles: 'web,worker' },
  ]);

  it('lets a visitor on node A and an agent on node B talk, type and resume', async () => {
    const [a, b] = nodes.servers;
    const { workspace } = await makeWorkspace(nodes.database.db);
    const agent = await makeUser(nodes.database.db, workspace.id, 'agent');
    const headers = await bearerFor(nodes.database, agent.actor);
    let visitor: VisitorClient | undefined;
    let resumed: VisitorClient | undefined;
    let stream: StreamClient | undefined;
    try {
      stream = await openStream(`ws://127.0.0.1:${b.port}/api/v1/stream`, headers);
      visitor = await openVisitor(`http://127.0.0.1:${a.port}`, workspace.slug, {
        page: { url: 'https://shop.example/', title: 'Shop' },
      });
      const ack = await visitor.say('Hello from node A');
      const ticketId = ack.conversationId as string;
      await stream.waitFor(
        (f) =>
          f.type === 'ticket.created' && (f.data?.ticket as { id?: string } | undefined)?.id === ticketId,
        "the visitor's chat on node B's stream",
        30_000,
      );

      stream.send({ type: 'presence', ticketId, state: 'typing' });
      await visitor.waitFor((f) => f.type === 'typing' && f.by === 'agent', 'agent typing on node A');

      const reply = await fetch(`http://127.0.0.1:${b.port}/api/v1/tickets/${ticketId}/messages`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'public_reply', body: 'Hello from node B' }),
      });
      expect(reply.status).toBe(201);
      const answer = await visitor.waitForMessage((m) => m.sender === 'agent', "the agent's reply on node A");
      expect(answer).toMatchObject({ seq: 2, text: 'Hello from node B' });

      // The visitor's connection drops; they come back through node B and miss nothing.
      visitor.close();
      await fetch(`http://127.0.0.1:${b.port}/api/v1/tickets/${ticketId}/messages`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'public_reply', body: 'Written while you were away' }),
      });
      resumed = await openVisitor(`http://127.0.0.1:${b.port}`, workspace.slug, {
        token: visitor.token,
        resume: [{ conversationId: ticketId, lastSeq: 2 }],
      });
      const missed = await resumed.waitForMessage((m) => m.seq === 3, 'the missed reply');
      expect(missed.text).toBe('Written while you were away');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${message}\n${nodes.servers.map(outputOf).join('\n')}`);
    } finally {
      visitor?.close();
      resumed?.close();
      stream?.close();
    }
  }, 60_000);
});
