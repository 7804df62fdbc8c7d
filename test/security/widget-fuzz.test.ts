// Mutated and random frames thrown at the widget's chat socket, with a fixed seed so a failure replays.
// Whatever arrives, the server answers with an error frame or one of the documented close codes, never
// an internal failure; every acknowledged message is stored exactly once with the text that was sent;
// and the chat keeps serving afterwards.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { CLOSE } from '../../src/chat/chat-frames.ts';
import { chatWorlds, type VisitorClient } from '../support/chat-client.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { openStream } from '../support/stream-client.ts';

const SEED = 20261204;
const SOCKETS = 8;
// Under the per-socket burst of 40 frames, so the frame limit never decides the outcome.
const FRAMES_PER_SOCKET = 30;
// Client ids of the well-formed messages, which must be stored; mutated frames never produce one.
const VALID = 'valid-';
const DOCUMENTED_CLOSES = new Set<number>([...Object.values(CLOSE), 1000, 1005]);

type Json = Record<string, unknown>;

const frameTypes = ['message', 'resume', 'typing', 'read', 'page', 'email', 'identify', 'ack', ''];

/** A valid-looking frame with one or two fields replaced by anything JSON can carry. */
function mutatedFrame(conversationId: string) {
  const base = fc.constantFrom<Json>(
    { type: 'message', clientId: 'c', text: 'hello' },
    { type: 'resume', conversationId, lastSeq: 0 },
    { type: 'typing', conversationId, typing: true },
    { type: 'read', conversationId, seq: 1 },
    { type: 'page', url: 'https://shop.example/', title: 'Shop' },
    { type: 'email', email: 'visitor@example.com' },
  );
  const key = fc.constantFrom(
    'type',
    'clientId',
    'text',
    'conversationId',
    'lastSeq',
    'seq',
    'typing',
    'files',
    'prechat',
    'url',
    'email',
    '__proto__',
    'constructor',
  );
  return fc
    .tuple(
      base,
      fc.array(fc.tuple(key, fc.oneof(fc.jsonValue(), fc.constantFrom(...frameTypes))), {
        minLength: 1,
        maxLength: 2,
      }),
    )
    .map(([frame, changes]) => {
      const out: Json = { ...frame };
      for (const [k, v] of changes)
        Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      return JSON.stringify(out);
    });
}

/** A message that should be stored: text from anywhere in Unicode, including lone surrogates. */
const validMessage = (conversationId: string | null) =>
  fc
    .tuple(fc.uuid(), fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }))
    .map(([id, text]) =>
      JSON.stringify({ type: 'message', clientId: `${VALID}${id}`, text, conversationId }),
    );

const rawText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom('', '{', '}', 'null', '[]', '"message"', '{"type":"message"', `${'['.repeat(2000)}`),
  fc.jsonValue().map((v) => JSON.stringify(v)),
);

function frameStream(conversationId: string) {
  return fc.array(
    fc.oneof(
      { weight: 4, arbitrary: mutatedFrame(conversationId) },
      { weight: 2, arbitrary: validMessage(conversationId) },
      { weight: 1, arbitrary: validMessage(null) },
      { weight: 2, arbitrary: rawText },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)) },
    ),
    { minLength: FRAMES_PER_SOCKET, maxLength: FRAMES_PER_SOCKET },
  );
}

const utf8 = (text: string) => Buffer.from(text, 'utf8').toString('utf8');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeEachDatabase('widget protocol fuzzing', (kind) => {
  const world = chatWorlds(kind);

  it('answers random and mutated frames with errors or documented closes, and stores acked messages once', async () => {
    const w = await world({
      RAPPORT_CHAT_MESSAGES_PER_SECOND: '1000',
      RAPPORT_CHAT_CONNECTIONS_PER_IP: '100',
    });
    const streams = fc.sample(
      fc.tuple(fc.array(fc.jsonValue(), { minLength: SOCKETS, maxLength: SOCKETS })),
      { seed: SEED, numRuns: 1 },
    )[0]![0];

    // Random first frames: each socket is either made ready or closed with a documented code.
    const base = `${w.live.url.replace('http', 'ws')}/api/v1/chat/ws?workspace=${w.workspace.slug}`;
    for (const first of streams) {
      const socket = await openStream(base);
      socket.send(JSON.stringify({ type: 'identify', ...(first as Json) }));
      const outcome = await Promise.race([
        socket.waitFor((f) => f.type === 'ready' || f.type === 'error', 'an answer').then(() => null),
        socket.closed,
      ]);
      if (outcome) expect(DOCUMENTED_CLOSES).toContain(outcome.code);
      expect(socket.frames.filter((f) => f.code === 'internal')).toEqual([]);
      socket.close();
    }

    // Visitors with a conversation each, then a storm of frames on every socket at once.
    const visitors: VisitorClient[] = [];
    const conversations: string[] = [];
    for (let i = 0; i < SOCKETS; i++) {
      const visitor = await w.visitor();
      const ack = await visitor.say(`opening message ${i}`);
      visitors.push(visitor);
      conversations.push(ack.conversationId as string);
    }
    const sent = new Map<string, string>();
    visitors.forEach((visitor, i) => {
      const frames = fc.sample(frameStream(conversations[i]!), { seed: SEED + i, numRuns: 1 })[0]!;
      for (const frame of frames) {
        if (typeof frame === 'string' && frame.startsWith(`{"type":"message","clientId":"${VALID}`)) {
          const parsed = JSON.parse(frame) as { clientId: string; text: string };
          sent.set(parsed.clientId, parsed.text);
        }
        visitor.socket.send(frame);
      }
    });
    // The storm is answered frame by frame; wait until every socket has gone quiet or closed.
    for (const visitor of visitors) {
      let seen = -1;
      for (let round = 0; round < 60 && visitor.frames.length !== seen; round++) {
        seen = visitor.frames.length;
        await sleep(250);
      }
    }

    const everyFrame = visitors.flatMap((v) => v.frames);
    expect(everyFrame.filter((f) => f.type === 'error' && f.code === 'internal')).toEqual([]);
    for (const visitor of visitors) {
      const closed = await Promise.race([visitor.closed, sleep(0).then(() => null)]);
      if (closed) expect(DOCUMENTED_CLOSES).toContain(closed.code);
    }

    // Every acknowledged message is stored once, with exactly the text sent.
    const acked = everyFrame.filter(
      (f) => f.type === 'ack' && typeof f.clientId === 'string' && sent.has(f.clientId),
    );
    expect(acked.length).toBeGreaterThan(0);
    const byConversation = new Map<string, Json[]>();
    for (const conversationId of new Set(acked.map((f) => f.conversationId as string))) {
      const messages = await w.api('GET', `/api/v1/tickets/${conversationId}/messages?limit=200`);
      expect(messages.status).toBe(200);
      byConversation.set(conversationId, messages.body.data as Json[]);
    }
    for (const ack of acked) {
      // What the server promises to keep: the text without NULs (PostgreSQL cannot store them) and
      // surrounding whitespace, in well-formed UTF-8 (a lone surrogate becomes U+FFFD).
      const text = utf8(
        sent
          .get(ack.clientId as string)!
          .replaceAll('\u0000', '')
          .trim(),
      );
      const stored = byConversation.get(ack.conversationId as string)!;
      const matching = stored.filter((m) => m.kind === 'customer_message' && m.body === text);
      expect(matching.length, `acked message ${ack.clientId} stored`).toBeGreaterThanOrEqual(1);
    }
    const seqs = acked.map((f) => `${f.conversationId}/${f.seq}`);
    expect(new Set(seqs).size).toBe(seqs.length);

    // The chat still serves a new visitor end to end.
    const after = await w.visitor();
    const ack = await after.say('still working?');
    expect(ack).toMatchObject({ type: 'ack', seq: 1 });
    expect((await w.reply(ack.conversationId as string, 'Yes.')).status).toBe(201);
    await after.waitForMessage((m) => m.sender === 'agent' && m.text === 'Yes.', "the agent's answer");
  });
});
