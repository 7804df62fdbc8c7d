import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket } from '../../test/support/factories.ts';
import { signedInTeam, testApp } from '../../test/support/http.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { zonedTime } from './callback-service.ts';
import { twilioSignature } from './twilio-voice.ts';

type Json = Record<string, unknown>;
const AUTH_TOKEN = 'twilio-auth-token-12345';

describeEachDatabase('phone channel', (kind) => {
  let database: Database;
  let app: App;

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await testApp(database);
  });
  afterAll(() => app.close());

  const json = async (headers: Json, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Json) => {
    const response = await app.inject({
      method,
      url,
      headers: headers as Record<string, string>,
      ...(payload && { payload }),
    });
    return { status: response.statusCode, body: response.json() as Json & { data: Json[] } };
  };

  it('logs a call from the API on the customer found by number, as a message of a new phone ticket', async () => {
    const team = await signedInTeam(database);
    const first = await json(team.agent.headers, 'POST', '/api/v1/calls', {
      direction: 'inbound',
      number: '+44 20 7946 0958',
      durationSeconds: 192,
      outcome: 'answered',
      recordingUrl: 'https://recordings.example.test/1.mp3',
      notes: 'Wants a refund for order 1234.',
      customerName: 'Robin Ring',
    });
    expect(first.status).toBe(201);
    const ticket = await json(team.agent.headers, 'GET', `/api/v1/tickets/${first.body.ticketId}`);
    expect(ticket.body).toMatchObject({ channel: 'phone', subject: 'Call from +44 20 7946 0958' });
    const messages = await json(team.agent.headers, 'GET', `/api/v1/tickets/${first.body.ticketId}/messages`);
    const body = JSON.stringify(messages.body);
    expect(body).toContain('Inbound call from +44 20 7946 0958 · 3m 12s · answered');
    expect(body).toContain('Wants a refund');

    // The same number written another way is the same customer.
    const second = await json(team.agent.headers, 'POST', '/api/v1/calls', {
      direction: 'outbound',
      number: '+442079460958',
      outcome: 'no_answer',
    });
    expect(second.body.customerId).toBe(first.body.customerId);
    const list = await json(team.light.headers, 'GET', `/api/v1/calls?customerId=${first.body.customerId}`);
    expect(list.body.data.map((call) => call.id)).toEqual([second.body.id, first.body.id]);
  });

  it('logs a call on an existing ticket; an outbound call there is an internal note', async () => {
    const team = await signedInTeam(database);
    const ticket = await makeTicket(database.db, team.agent.actor);
    const logged = await json(team.agent.headers, 'POST', '/api/v1/calls', {
      direction: 'outbound',
      number: '+15551234567',
      durationSeconds: 30,
      outcome: 'answered',
      customerId: ticket.customerId,
      ticketId: ticket.id,
    });
    expect(logged.status).toBe(201);
    expect(logged.body.ticketId).toBe(ticket.id);
    const messages = await json(team.agent.headers, 'GET', `/api/v1/tickets/${ticket.id}/messages`);
    const call = messages.body.data.find((m) => m.channel === 'phone');
    expect(call).toMatchObject({ kind: 'internal_note' });
    const bad = await json(team.agent.headers, 'POST', '/api/v1/calls', {
      direction: 'outbound',
      number: 'call me',
      outcome: 'answered',
    });
    expect(bad.status).toBe(400);
  });

  it("queues a callback at the customer's wall-clock time, as a phone ticket", async () => {
    expect(zonedTime('2026-07-01T14:30', 'Europe/Paris').toISOString()).toBe('2026-07-01T12:30:00.000Z');
    expect(zonedTime('2026-12-01T14:30', 'Europe/Paris').toISOString()).toBe('2026-12-01T13:30:00.000Z');
    expect(zonedTime('2026-12-01T09:00', 'America/New_York').toISOString()).toBe('2026-12-01T14:00:00.000Z');
    const team = await signedInTeam(database);
    const later = await json(team.agent.headers, 'POST', '/api/v1/callbacks', {
      phone: '+33 1 23 45 67 89',
      preferredTime: '2026-12-10T16:00',
      timeZone: 'Europe/Paris',
      notes: 'About the invoice',
    });
    expect(later.status).toBe(201);
    expect(later.body).toMatchObject({ preferredAt: '2026-12-10T15:00:00.000Z', status: 'pending' });
    // The customer keeps the time zone: the next request without one reads it there.
    const sooner = await json(team.agent.headers, 'POST', '/api/v1/callbacks', {
      phone: '+33123456789',
      preferredTime: '2026-12-09T09:00',
    });
    expect(sooner.body).toMatchObject({ preferredAt: '2026-12-09T08:00:00.000Z', timeZone: 'Europe/Paris' });
    const queue = await json(team.light.headers, 'GET', '/api/v1/callbacks');
    expect(queue.body.data.map((c) => c.id)).toEqual([sooner.body.id, later.body.id]);
    const ticket = await json(team.agent.headers, 'GET', `/api/v1/tickets/${later.body.ticketId}`);
    expect(ticket.body).toMatchObject({ channel: 'phone', status: 'new', tags: ['callback'] });
    const done = await json(team.agent.headers, 'PATCH', `/api/v1/callbacks/${sooner.body.id}`, {
      status: 'done',
    });
    expect(done.body.status).toBe('done');
    expect((await json(team.light.headers, 'GET', '/api/v1/callbacks')).body.data).toHaveLength(1);
    const zone = await json(team.agent.headers, 'POST', '/api/v1/callbacks', {
      phone: '+331',
      preferredTime: '2026-12-09T09:00',
      timeZone: 'Mars/Olympus',
    });
    expect(zone.status).toBe(400);
  });

  async function twilioAccount(headers: Json) {
    const created = await json(headers, 'POST', '/api/v1/channels/accounts', {
      kind: 'twilio',
      name: 'Main line',
      secret: AUTH_TOKEN,
    });
    expect(created.status).toBe(201);
    return created.body as unknown as { id: string; webhookPath: string };
  }

  /** Posts a callback the way Twilio does: a form, signed over the URL and the sorted parameters. */
  function twilioPost(path: string, fields: Record<string, string>, token = AUTH_TOKEN) {
    const params = new URLSearchParams(fields);
    return app.inject({
      method: 'POST',
      url: path,
      headers: {
        host: 'rapport.example.test',
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(token, `http://rapport.example.test${path}`, params),
      },
      payload: params.toString(),
    });
  }

  const voiceFields = {
    AccountSid: 'AC0123456789abcdef0123456789abcdef',
    ApiVersion: '2010-04-01',
    CallSid: 'CA1111111111111111111111111111aaaa',
    From: '+14155550100',
    To: '+14155550199',
    Direction: 'inbound',
    CallerName: 'Sam Signal',
  };

  it("turns Twilio's voice status and recording callbacks into one call log and one message", async () => {
    const team = await signedInTeam(database);
    const { webhookPath } = await twilioAccount(team.admin.headers);
    expect(webhookPath).toMatch(/^\/api\/v1\/channels\/twilio\/[0-9a-f-]+\/voice$/);
    const ringing = await twilioPost(webhookPath, {
      ...voiceFields,
      CallStatus: 'ringing',
      SequenceNumber: '0',
    });
    expect(ringing.statusCode).toBe(204);
    const completed = { ...voiceFields, CallStatus: 'completed', CallDuration: '75', SequenceNumber: '1' };
    expect((await twilioPost(webhookPath, completed)).statusCode).toBe(204);
    // Twilio retries: the same callback again changes nothing.
    expect((await twilioPost(webhookPath, completed)).statusCode).toBe(204);
    const recording = await twilioPost(webhookPath, {
      AccountSid: voiceFields.AccountSid,
      CallSid: voiceFields.CallSid,
      RecordingSid: 'RE2222222222222222222222222222bbbb',
      RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${voiceFields.AccountSid}/Recordings/RE2222222222222222222222222222bbbb`,
      RecordingStatus: 'completed',
      RecordingDuration: '70',
    });
    expect(recording.statusCode).toBe(204);

    const calls = await json(team.agent.headers, 'GET', '/api/v1/calls');
    expect(calls.body.data).toHaveLength(1);
    const [call] = calls.body.data;
    expect(call).toMatchObject({
      direction: 'inbound',
      number: '+14155550100',
      durationSeconds: 75,
      outcome: 'answered',
      provider: 'twilio',
      recordingUrl: expect.stringMatching(/Recordings\/RE2222222222222222222222222222bbbb\.mp3$/),
    });
    const messages = await json(team.agent.headers, 'GET', `/api/v1/tickets/${call!.ticketId}/messages`);
    expect(messages.body.data).toHaveLength(1);
    expect(messages.body.data[0]).toMatchObject({ kind: 'customer_message', channel: 'phone' });
    expect(JSON.stringify(messages.body.data[0])).toContain('Recording: https://api.twilio.com/');
    const customer = await json(team.agent.headers, 'GET', `/api/v1/customers/${call!.customerId}`);
    expect(customer.body.name).toBe('Sam Signal');
  });

  it('refuses Twilio callbacks with a wrong or missing signature, or for an unknown account', async () => {
    const team = await signedInTeam(database);
    const { webhookPath, id } = await twilioAccount(team.admin.headers);
    const fields = { ...voiceFields, CallSid: 'CA9999', CallStatus: 'completed', CallDuration: '5' };
    expect((await twilioPost(webhookPath, fields, 'not-the-token')).statusCode).toBe(403);
    const unsigned = await app.inject({
      method: 'POST',
      url: webhookPath,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(fields).toString(),
    });
    expect(unsigned.statusCode).toBe(403);
    // A valid signature over different parameters does not carry over.
    const params = new URLSearchParams(fields);
    const tampered = await app.inject({
      method: 'POST',
      url: webhookPath,
      headers: {
        host: 'rapport.example.test',
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(
          AUTH_TOKEN,
          `http://rapport.example.test${webhookPath}`,
          params,
        ),
      },
      payload: new URLSearchParams({ ...fields, CallDuration: '5000' }).toString(),
    });
    expect(tampered.statusCode).toBe(403);
    const other = webhookPath.replace(id, '00000000-0000-4000-8000-000000000000');
    expect((await twilioPost(other, fields)).statusCode).toBe(404);
    expect((await json(team.agent.headers, 'GET', '/api/v1/calls')).body.data).toHaveLength(0);
  });
});
