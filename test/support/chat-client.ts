import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll } from 'vitest';
import type { Database } from '../../src/platform/db/database.ts';
import { type DatabaseKind, sharedDatabase } from './databases.ts';
import { makeUser, makeWorkspace } from './factories.ts';
import { bearerFor } from './http.ts';
import { type LiveApp, startLiveApp } from './live-app.ts';
import { openStream, type StreamClient, type StreamFrame } from './stream-client.ts';

type Json = Record<string, unknown>;

export type ChatMessageFrame = {
  seq: number;
  sender: string;
  text: string;
  clientId: string | null;
  conversationId: string;
};

export type VisitorClient = StreamClient & {
  ready: StreamFrame;
  token: string;
  /** Sends a message and resolves with its ack. */
  say(text: string, options?: { conversationId?: string | null; clientId?: string }): Promise<StreamFrame>;
  /** Messages received so far, in arrival order. */
  messages(): ChatMessageFrame[];
  waitForMessage(matches: (m: ChatMessageFrame) => boolean, what: string): Promise<ChatMessageFrame>;
};

/** A widget's socket: connects to the chat endpoint of `baseUrl` and identifies; resolves once ready. */
export async function openVisitor(
  baseUrl: string,
  workspace: string,
  identify: Record<string, unknown> = {},
): Promise<VisitorClient> {
  const wsUrl = `${baseUrl.replace(/^http/, 'ws')}/api/v1/chat/ws?workspace=${encodeURIComponent(workspace)}`;
  const client = await openStream(wsUrl);
  client.send({ type: 'identify', ...identify });
  const ready = await client.waitFor((f) => f.type === 'ready', 'ready frame');
  const messages = () =>
    client.frames.filter((f) => f.type === 'message').map((f) => f.message as ChatMessageFrame);
  return Object.assign(client, {
    ready,
    token: ready.token as string,
    messages,
    async say(text: string, options: { conversationId?: string | null; clientId?: string } = {}) {
      const clientId = options.clientId ?? randomUUID();
      // Only frames after this send: a resend's ack must not be taken for the first one's.
      const from = client.frames.length;
      client.send({ type: 'message', clientId, text, conversationId: options.conversationId ?? null });
      return client.waitFor(
        (f) =>
          (f.type === 'ack' || f.type === 'error') &&
          f.clientId === clientId &&
          client.frames.indexOf(f) >= from,
        `ack of ${clientId}`,
      );
    },
    async waitForMessage(matches: (m: ChatMessageFrame) => boolean, what: string) {
      const frame = await client.waitFor(
        (f) => f.type === 'message' && matches(f.message as ChatMessageFrame),
        what,
      );
      return frame.message as ChatMessageFrame;
    },
  });
}

/** A workspace with an agent, the live app relaying its events, and the agent's console stream. */
export async function chatWorld(
  database: Database,
  cleanups: (() => Promise<void> | void)[],
  env?: Record<string, string>,
) {
  const { workspace, admin } = await makeWorkspace(database.db);
  const agent = await makeUser(database.db, workspace.id, 'agent');
  const live: LiveApp = await startLiveApp(database, workspace.id, env ? { env } : {});
  cleanups.push(() => live.close());
  const agentHeaders = await bearerFor(database, agent.actor);
  const adminHeaders = await bearerFor(database, admin.actor);
  const stream: StreamClient = await openStream(
    `${live.url.replace('http', 'ws')}/api/v1/stream`,
    agentHeaders,
  );
  cleanups.push(() => stream.close());
  const api = async (method: string, path: string, body?: unknown, headers = agentHeaders) => {
    const response = await fetch(`${live.url}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json().catch(() => null)) as Json };
  };
  const visitor = async (identify: Json = {}): Promise<VisitorClient> => {
    const client = await openVisitor(live.url, workspace.slug, identify);
    cleanups.push(() => client.close());
    return client;
  };
  const reply = (ticketId: string, body: string) =>
    api('POST', `/api/v1/tickets/${ticketId}/messages`, { kind: 'public_reply', body });
  return { workspace, agent, live, stream, api, agentHeaders, adminHeaders, visitor, reply };
}

/** For a describeEachDatabase block: `world()` makes a chatWorld, closed again after each test. */
export function chatWorlds(kind: DatabaseKind) {
  let database: Database;
  const cleanups: (() => Promise<void> | void)[] = [];
  beforeAll(async () => {
    database = await sharedDatabase(kind);
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return (env?: Record<string, string>) => chatWorld(database, cleanups, env);
}
