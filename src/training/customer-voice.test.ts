import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { signedInTeam, testApp } from '../../test/support/http.ts';
import { loadConfig } from '../platform/config.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { chatModelFrom } from '../platform/llm.ts';
import { modelVoice } from './customer-voice.ts';
import { builtInScenario } from './scenario-library.ts';
import { startSimulation } from './simulation-engine.ts';

type ChatRequest = {
  headers: IncomingMessage['headers'];
  body: { model: string; messages: { role: string; content: string }[] };
};
type Behaviour = 'answer' | 'fail' | 'hang';

/** A stand-in for the third-party endpoint: POST /v1/chat/completions in OpenAI's documented shapes. */
async function startChatEndpoint() {
  const requests: ChatRequest[] = [];
  let behaviour: Behaviour = 'answer';
  const held: ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404).end();
        return;
      }
      requests.push({ headers: req.headers, body: JSON.parse(raw) });
      if (behaviour === 'fail') {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'The server had an error', type: 'server_error' } }));
        return;
      }
      if (behaviour === 'hang') {
        held.push(res);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: `chatcmpl-${requests.length}`,
          object: 'chat.completion',
          created: 1_700_000_000,
          model: 'test-model',
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: `Model line ${requests.length}.` },
              finish_reason: 'stop',
            },
          ],
          usage: { prompt_tokens: 100, completion_tokens: 5, total_tokens: 105 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    set(next: Behaviour) {
      behaviour = next;
    },
    release() {
      for (const res of held.splice(0)) res.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const API_KEY = 'sk-test-never-logged-3141';
const replies = [
  "I'm so sorry your parcel is late. Could you send me your order number?",
  'Thanks. When do you need it by?',
  "I've sent a replacement by express today; it arrives within 2 business days.",
];

describeEachDatabase('training customer voiced by a chat model', (kind) => {
  let database: Database;
  let endpoint: Awaited<ReturnType<typeof startChatEndpoint>>;
  let app: App;
  // The same endpoint with a short timeout, for the endpoint that never answers.
  let impatient: App;
  beforeAll(async () => {
    database = await sharedDatabase(kind);
    endpoint = await startChatEndpoint();
    const env = {
      RAPPORT_LLM_URL: endpoint.url,
      RAPPORT_LLM_MODEL: 'test-model',
      RAPPORT_LLM_API_KEY: API_KEY,
    };
    app = await testApp(database, { env });
    impatient = await testApp(database, { env: { ...env, RAPPORT_LLM_TIMEOUT_MS: '400' } });
  });
  afterEach(() => {
    endpoint.set('answer');
    endpoint.release();
  });
  afterAll(async () => {
    await app.close();
    await impatient.close();
    await endpoint.close();
  });

  const play = async (headers: Record<string, string>, on = app) => {
    const start = await on.inject({
      method: 'POST',
      url: '/api/v1/training/sessions',
      headers,
      payload: { scenarioKey: 'delayed-shipment', seed: 7 },
    });
    const id = start.json().id as string;
    const answers: { customer: string; mood: number; moves: string[]; ended: boolean }[] = [];
    for (const text of replies) {
      const res = await on.inject({
        method: 'POST',
        url: `/api/v1/training/sessions/${id}/replies`,
        headers,
        payload: { text },
      });
      expect(res.statusCode).toBe(200);
      answers.push(res.json());
    }
    return answers;
  };

  it('words each answer with the model while the script decides mood, facts and the end', async () => {
    const { agent } = await signedInTeam(database);
    const before = endpoint.requests.length;
    const answers = await play(agent.headers);
    expect(answers.map((a) => a.customer)).toEqual([
      `Model line ${before + 1}.`,
      `Model line ${before + 2}.`,
      `Model line ${before + 3}.`,
    ]);
    expect(answers.at(-1)!.ended).toBe(true);

    const [first, second] = endpoint.requests.slice(before);
    expect(first!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(first!.body.model).toBe('test-model');
    const system = first!.body.messages[0]!;
    expect(system.role).toBe('system');
    expect(system.content).toContain('You are Dana Brooks');
    expect(system.content).toContain('A customer ordered a birthday present');
    expect(system.content).toMatch(/Your mood is \d+ of 10/);
    // The first question uncovers the order number only: the birthday stays hidden from the model.
    expect(system.content).toContain('tell the agent: Order 48213');
    expect(system.content).not.toContain('Saturday');
    expect(system.content).toContain('"It is order 48213."');
    expect(first!.body.messages.slice(1)).toEqual([
      { role: 'assistant', content: builtInScenario('delayed-shipment')!.opening },
      { role: 'user', content: replies[0] },
    ]);
    expect(second!.body.messages[0]!.content).toContain('The birthday is on Saturday');
    expect(second!.body.messages[0]!.content).toContain('You already told the agent: Order 48213');
    // The model's own words are in the history it sees next.
    expect(second!.body.messages.at(-2)).toEqual({ role: 'assistant', content: `Model line ${before + 1}.` });
  });

  it('falls back to the scripted lines on a 500 and on a timeout, with the same outcome', async () => {
    const { agent } = await signedInTeam(database);
    endpoint.set('fail');
    const failed = await play(agent.headers);
    expect(failed.map((a) => a.customer).slice(0, 2)).toEqual([
      'It is order 48213.',
      'The birthday is this Saturday.',
    ]);
    expect(failed.at(-1)!.ended).toBe(true);

    endpoint.set('hang');
    const started = Date.now();
    const slow = await play(agent.headers, impatient);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(slow.map((a) => a.customer)).toEqual(failed.map((a) => a.customer));
    expect(slow.map((a) => a.mood)).toEqual(failed.map((a) => a.mood));
  });
});

it('logs a failed call with the endpoint and the reason, never the API key', async () => {
  const endpoint = await startChatEndpoint();
  endpoint.set('fail');
  const lines: string[] = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );
  const model = chatModelFrom(loadConfig({ RAPPORT_LLM_URL: endpoint.url, RAPPORT_LLM_API_KEY: API_KEY }))!;
  const scenario = builtInScenario('delayed-shipment')!;
  const { state } = startSimulation(scenario);
  const text = await modelVoice(model, logger).answer({
    scenario,
    state,
    revealedNow: [],
    transcript: [{ role: 'customer', text: scenario.opening, at: new Date().toISOString() }],
    scripted: 'Scripted.',
  });
  await endpoint.close();
  expect(text).toBe('Scripted.');
  expect(lines.join('')).toContain('answered 500');
  expect(lines.join('')).toContain('/v1/chat/completions');
  expect(lines.join('')).not.toContain(API_KEY);
});
