import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { signedInTeam, testDeps } from '../../test/support/http.ts';
import { buildApp } from '../app.ts';
import { messagingMessages } from '../db/schema/index.ts';
import type { Database } from '../platform/db/database.ts';
import type { Deps } from '../platform/deps.ts';
import type { App } from '../platform/http/server.ts';
import { createOutboxRelay } from '../platform/outbox/relay.ts';
import { createMessagingSender, messagingReplies } from './messaging-outbound.ts';
import { hubSignature, rapportSignature } from './messaging-signatures.ts';

type Json = Record<string, unknown>;
type Seen = { method: string; url: string; headers: IncomingMessage['headers']; body: string };
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

/** A loopback stand-in for graph.facebook.com, api.telegram.org and a generic bridge, in their documented formats. */
function platformServer() {
  const seen: Seen[] = [];
  let bridgeFailures = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = request.url ?? '';
      seen.push({ method: request.method ?? '', url, headers: request.headers, body });
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const send = (status: number, value: unknown, type = 'application/json') => {
        response.writeHead(status, { 'content-type': type });
        response.end(Buffer.isBuffer(value) ? value : JSON.stringify(value));
      };
      if (url === '/v21.0/MEDIA_1')
        return send(200, {
          url: `${origin}/whatsapp/media/1`,
          mime_type: 'image/png',
          id: 'MEDIA_1',
          messaging_product: 'whatsapp',
        });
      if (url === '/whatsapp/media/1')
        return request.headers.authorization === 'Bearer wa-token'
          ? send(200, PNG, 'image/png')
          : send(401, {});
      if (url === '/v21.0/PHONE_1/messages')
        return send(200, {
          messaging_product: 'whatsapp',
          contacts: [{ input: '15551230000', wa_id: '15551230000' }],
          messages: [{ id: 'wamid.OUT1' }],
        });
      if (url === '/v21.0/PHONE_1/media') return send(200, { id: 'MEDIA_OUT_1' });
      if (url === '/bottg-token/sendPhoto' || url === '/bottg-token/sendDocument')
        return send(200, { ok: true, result: { message_id: url.endsWith('Photo') ? 601 : 602 } });
      if (url.startsWith('/bottg-token/getFile'))
        return send(200, { ok: true, result: { file_id: 'big', file_path: 'photos/file_7.jpg' } });
      if (url === '/file/bottg-token/photos/file_7.jpg') return send(200, PNG, 'image/jpeg');
      if (url === '/bottg-token/sendMessage')
        return send(200, { ok: true, result: { message_id: 501, chat: { id: 4242 }, date: 1 } });
      if (url === '/bridge/out') {
        if (bridgeFailures-- > 0) return send(503, { error: 'down' });
        return send(200, { id: 'bridge-out-1' });
      }
      send(404, { error: 'unknown' });
    });
  });
  return { server, seen, failBridge: (n: number) => (bridgeFailures = n) };
}

describeEachDatabase('messaging channels', (kind) => {
  let database: Database;
  let deps: Deps;
  let app: App;
  let platform: ReturnType<typeof platformServer>;
  let base: string;

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    // One set of deps for the app and the sender: replies' files are read from the app's storage.
    deps = testDeps(database);
    app = await buildApp(deps);
    await app.ready();
    platform = platformServer();
    await new Promise<void>((resolve) => platform.server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(platform.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
    await new Promise((resolve) => (platform.server as Server).close(resolve));
  });

  const call = async (
    headers: Record<string, string>,
    method: 'GET' | 'POST',
    url: string,
    payload?: unknown,
  ) => {
    const response = await app.inject({
      method,
      url,
      headers,
      ...(payload !== undefined && { payload: payload as Json }),
    });
    return {
      status: response.statusCode,
      text: response.body,
      body: (response.body.startsWith('{') ? response.json() : {}) as Json & { data: Json[] },
    };
  };
  const connect = async (headers: Record<string, string>, account: Json) => {
    const created = await call(headers, 'POST', '/api/v1/channels/accounts', account);
    expect(created.status).toBe(201);
    return created.body as unknown as { id: string; webhookPath: string };
  };
  /** What the workers do after a commit: queue the reply, then send it. */
  async function deliver(workspaceId: string) {
    await createOutboxRelay({
      database,
      handlers: [messagingReplies],
      logger: deps.logger,
      workspaceId,
    }).drain();
    return createMessagingSender(deps).runDue();
  }
  // The accounts each test connects, at the loopback platform's address.
  const whatsappAccount = () => ({
    kind: 'whatsapp',
    name: 'WhatsApp',
    secret: 'wa-app-secret',
    token: 'wa-token',
    verifyToken: 'verify-me',
    settings: { phoneNumberId: 'PHONE_1', apiBase: base },
  });
  const telegramAccount = () => ({
    kind: 'telegram',
    name: 'Telegram bot',
    secret: 'tg-secret-token',
    token: 'tg-token',
    settings: { apiBase: base },
  });
  const genericAccount = () => ({
    kind: 'generic',
    name: 'Bridge',
    secret: 'generic-secret',
    settings: { outboundUrl: `${base}/bridge/out` },
  });
  const reply = (headers: Record<string, string>, ticketId: string, body: string) =>
    call(headers, 'POST', `/api/v1/tickets/${ticketId}/messages`, { kind: 'public_reply', body });
  const delivery = async (messageId: string) =>
    (await database.db.select().from(messagingMessages).where(eq(messagingMessages.messageId, messageId)))[0];

  const waPost = (path: string, payload: Json, secret = 'wa-app-secret') => {
    const raw = JSON.stringify(payload);
    return call(
      { 'content-type': 'application/json', 'x-hub-signature-256': hubSignature(secret, Buffer.from(raw)) },
      'POST',
      path,
      raw,
    );
  };
  const waChange = (value: Json) => ({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA_1',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550001111', phone_number_id: 'PHONE_1' },
              ...value,
            },
          },
        ],
      },
    ],
  });
  const waText = (id: string, body: string) =>
    waChange({
      contacts: [{ profile: { name: 'Wendy Whats' }, wa_id: '15551230000' }],
      messages: [{ from: '15551230000', id, timestamp: '1764800000', type: 'text', text: { body } }],
    });

  it('takes WhatsApp messages in by thread, with media, and sends replies whose statuses come back', async () => {
    const team = await signedInTeam(database);
    const { webhookPath } = await connect(team.admin.headers, whatsappAccount());
    const challenge = await call(
      {},
      'GET',
      `${webhookPath}?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444`,
    );
    expect(challenge).toMatchObject({ status: 200, text: '1158201444' });
    expect(
      (await call({}, 'GET', `${webhookPath}?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`))
        .status,
    ).toBe(403);

    const first = await waPost(webhookPath, waText('wamid.IN1', 'My parcel is late'));
    expect(first.status).toBe(200);
    const ticketId = first.body.data[0]!.ticketId as string;
    expect((await waPost(webhookPath, waText('wamid.IN1', 'My parcel is late'))).body.data[0]).toMatchObject({
      status: 'duplicate',
      ticketId,
    });
    const photo = waChange({
      contacts: [{ profile: { name: 'Wendy Whats' }, wa_id: '15551230000' }],
      messages: [
        {
          from: '15551230000',
          id: 'wamid.IN2',
          timestamp: '1764800001',
          type: 'image',
          image: { caption: 'The box', mime_type: 'image/png', sha256: 'x', id: 'MEDIA_1' },
        },
      ],
    });
    expect((await waPost(webhookPath, photo)).body.data[0]).toMatchObject({ status: 'stored', ticketId });
    expect((await waPost(webhookPath, waText('wamid.IN3', 'forged'), 'not-the-secret')).status).toBe(403);

    const ticket = await call(team.agent.headers, 'GET', `/api/v1/tickets/${ticketId}`);
    expect(ticket.body).toMatchObject({
      channel: 'social',
      subject: 'My parcel is late',
      customer: { name: 'Wendy Whats' },
    });
    const messages = (await call(team.agent.headers, 'GET', `/api/v1/tickets/${ticketId}/messages`)).body
      .data;
    expect(messages.map((m) => m.body)).toEqual(['My parcel is late', 'The box']);
    expect(messages[1]!.attachments).toEqual([
      expect.objectContaining({ contentType: 'image/png', size: PNG.length }),
    ]);
    const customer = await call(
      team.agent.headers,
      'GET',
      `/api/v1/customers/${(ticket.body.customer as Json).id}`,
    );
    expect(JSON.stringify(customer.body)).toContain('+15551230000');

    const answer = await reply(team.agent.headers, ticketId, 'A new one ships today.');
    expect(answer.status).toBe(201);
    expect(await deliver(team.workspace.id)).toBe(1);
    const sent = platform.seen.find((r) => r.url === '/v21.0/PHONE_1/messages')!;
    expect(sent.headers.authorization).toBe('Bearer wa-token');
    expect(JSON.parse(sent.body)).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '15551230000',
      type: 'text',
      text: { preview_url: false, body: 'A new one ships today.' },
    });
    expect(await delivery(answer.body.id as string)).toMatchObject({
      status: 'sent',
      externalId: 'wamid.OUT1',
    });
    const status = waChange({
      statuses: [
        { id: 'wamid.OUT1', status: 'delivered', timestamp: '1764800100', recipient_id: '15551230000' },
      ],
    });
    expect((await waPost(webhookPath, status)).status).toBe(200);
    const late = waChange({
      statuses: [{ id: 'wamid.OUT1', status: 'sent', timestamp: '1764800090', recipient_id: '15551230000' }],
    });
    await waPost(webhookPath, late);
    expect(await delivery(answer.body.id as string)).toMatchObject({ status: 'delivered' });
    const listed = await call(team.light.headers, 'GET', `/api/v1/tickets/${ticketId}/messaging-deliveries`);
    expect(listed.body.data).toEqual([
      expect.objectContaining({ messageId: answer.body.id, status: 'delivered', externalId: 'wamid.OUT1' }),
    ]);
  });

  it('takes Telegram updates with photos in, checks the secret token, and replies with sendMessage', async () => {
    const team = await signedInTeam(database);
    const { webhookPath } = await connect(team.admin.headers, telegramAccount());
    const update = (id: number, message: Json) => ({
      update_id: 9000 + id,
      message: {
        message_id: id,
        from: { id: 4242, is_bot: false, first_name: 'Tess', last_name: 'Gram', language_code: 'en' },
        chat: { id: 4242, first_name: 'Tess', type: 'private' },
        date: 1764800000,
        ...message,
      },
    });
    const post = (payload: Json, token = 'tg-secret-token') =>
      call(
        { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': token },
        'POST',
        webhookPath,
        payload,
      );
    const first = await post(update(1, { text: 'Hello, is anyone there?' }));
    expect(first.status).toBe(200);
    const ticketId = first.body.data[0]!.ticketId as string;
    const photo = update(2, {
      caption: 'Screenshot',
      photo: [
        { file_id: 'small', file_unique_id: 's', width: 90, height: 60 },
        { file_id: 'big', file_unique_id: 'b', width: 1280, height: 853 },
      ],
    });
    expect((await post(photo)).body.data[0]).toMatchObject({ status: 'stored', ticketId });
    expect(platform.seen.some((r) => r.url === '/bottg-token/getFile?file_id=big')).toBe(true);
    expect((await post(update(3, { text: 'forged' }), 'wrong')).status).toBe(403);
    expect(
      (await call({ 'content-type': 'application/json' }, 'POST', webhookPath, update(4, { text: 'x' })))
        .status,
    ).toBe(403);

    const messages = (await call(team.agent.headers, 'GET', `/api/v1/tickets/${ticketId}/messages`)).body
      .data;
    expect(messages.map((m) => m.body)).toEqual(['Hello, is anyone there?', 'Screenshot']);
    expect(messages[1]!.attachments).toHaveLength(1);
    const answer = await reply(team.agent.headers, ticketId, 'Yes, how can we help?');
    await deliver(team.workspace.id);
    const sent = platform.seen.find((r) => r.url === '/bottg-token/sendMessage')!;
    expect(JSON.parse(sent.body)).toEqual({ chat_id: '4242', text: 'Yes, how can we help?' });
    expect(await delivery(answer.body.id as string)).toMatchObject({
      status: 'sent',
      externalId: '4242:501',
    });
  });

  it('bridges any platform through the signed generic channel, retrying failed deliveries', async () => {
    const team = await signedInTeam(database);
    const { webhookPath } = await connect(team.admin.headers, genericAccount());
    const signed = (payload: Json, options: { secret?: string; at?: number } = {}) => {
      const raw = JSON.stringify(payload);
      const timestamp = String(options.at ?? Math.floor(Date.now() / 1000));
      return call(
        {
          'content-type': 'application/json',
          'x-rapport-timestamp': timestamp,
          'x-rapport-signature': rapportSignature(options.secret ?? 'generic-secret', timestamp, raw),
        },
        'POST',
        webhookPath,
        raw,
      );
    };
    const inbound = (id: string, text: string, conversationId = 'conv-1') => ({
      messages: [
        { conversationId, id, from: { id: 'user-7', name: 'Gene Rick', email: 'gene@example.test' }, text },
      ],
    });
    const first = await signed(inbound('m1', 'Hi from the bridge'));
    expect(first.status).toBe(200);
    const ticketId = first.body.data[0]!.ticketId as string;
    expect((await signed(inbound('m2', 'Second line'))).body.data[0]!.ticketId).toBe(ticketId);
    expect((await signed(inbound('m3', 'Other chat', 'conv-2'))).body.data[0]!.ticketId).not.toBe(ticketId);
    expect((await signed(inbound('m4', 'x'), { secret: 'wrong-secret' })).status).toBe(403);
    expect((await signed(inbound('m5', 'x'), { at: Math.floor(Date.now() / 1000) - 3600 })).status).toBe(403);
    expect((await signed({ messages: [{ id: 'no conversation' }] })).status).toBe(400);

    platform.failBridge(1);
    const answer = await reply(team.agent.headers, ticketId, 'Hello back');
    await deliver(team.workspace.id);
    expect(await delivery(answer.body.id as string)).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: expect.stringContaining('503'),
    });
    // The retry is due later; make it due now instead of waiting.
    await database.db
      .update(messagingMessages)
      .set({ nextAttemptAt: new Date(0) })
      .where(eq(messagingMessages.messageId, answer.body.id as string));
    await deliver(team.workspace.id);
    expect(await delivery(answer.body.id as string)).toMatchObject({
      status: 'sent',
      attempts: 2,
      externalId: 'bridge-out-1',
    });
    const sent = platform.seen.filter((r) => r.url === '/bridge/out').pop()!;
    expect(JSON.parse(sent.body)).toEqual({
      conversationId: 'conv-1',
      messageId: answer.body.id,
      text: 'Hello back',
    });
    expect(sent.headers['x-rapport-signature']).toBe(
      rapportSignature('generic-secret', String(sent.headers['x-rapport-timestamp']), sent.body),
    );
    const read = await signed({ statuses: [{ id: 'bridge-out-1', status: 'read' }] });
    expect(read.status).toBe(200);
    expect(await delivery(answer.body.id as string)).toMatchObject({ status: 'read' });
  });

  /** Uploads files as an agent would before replying with them. */
  async function upload(
    headers: Record<string, string>,
    files: { name: string; type: string; bytes: Buffer }[],
  ) {
    const form = new FormData();
    for (const file of files)
      form.append('files', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
    const request = new Request('http://x/', { method: 'POST', body: form });
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      headers: { ...headers, 'content-type': request.headers.get('content-type')! },
      payload: Buffer.from(await request.arrayBuffer()),
    });
    expect(response.statusCode, response.body).toBe(201);
    return (response.json() as { data: { id: string }[] }).data.map((file) => file.id);
  }

  it("sends an agent's files as media: WhatsApp uploads then names the media, Telegram sends a photo and a document, a bridge gets them inline", async () => {
    const team = await signedInTeam(database);
    const whatsapp = await connect(team.admin.headers, whatsappAccount());
    const telegram = await connect(team.admin.headers, telegramAccount());
    const waTicket = (await waPost(whatsapp.webhookPath, waText('wamid.MEDIA1', 'Which label?'))).body
      .data[0]!.ticketId as string;
    const tgTicket = (
      await call(
        { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'tg-secret-token' },
        'POST',
        telegram.webhookPath,
        {
          update_id: 9100,
          message: {
            message_id: 77,
            from: { id: 5151, is_bot: false, first_name: 'Tom' },
            chat: { id: 5151, type: 'private' },
            date: 1764800000,
            text: 'Send me the manual',
          },
        },
      )
    ).body.data[0]!.ticketId as string;
    const replyWith = (ticketId: string, body: string, attachmentIds: string[]) =>
      call(team.agent.headers, 'POST', `/api/v1/tickets/${ticketId}/messages`, {
        kind: 'public_reply',
        body,
        attachmentIds,
      });

    const label = await upload(team.agent.headers, [{ name: 'label.png', type: 'image/png', bytes: PNG }]);
    const waAnswer = await replyWith(waTicket, 'Here is your label.', label);
    expect(waAnswer.status).toBe(201);
    const before = platform.seen.length;
    expect(await deliver(team.workspace.id)).toBe(1);
    const waCalls = platform.seen.slice(before);
    expect(waCalls.map((r) => r.url)).toEqual([
      '/v21.0/PHONE_1/messages',
      '/v21.0/PHONE_1/media',
      '/v21.0/PHONE_1/messages',
    ]);
    expect(waCalls[1]!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(waCalls[1]!.headers.authorization).toBe('Bearer wa-token');
    expect(waCalls[1]!.body).toContain('name="messaging_product"\r\n\r\nwhatsapp');
    expect(waCalls[1]!.body).toContain('filename="label.png"');
    expect(JSON.parse(waCalls[2]!.body)).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '15551230000',
      type: 'image',
      image: { id: 'MEDIA_OUT_1' },
    });
    expect(await delivery(waAnswer.body.id as string)).toMatchObject({
      status: 'sent',
      externalId: 'wamid.OUT1',
    });

    const files = await upload(team.agent.headers, [
      { name: 'photo.png', type: 'image/png', bytes: PNG },
      { name: 'manual.pdf', type: 'application/pdf', bytes: Buffer.from('%PDF-1.4 manual') },
    ]);
    const tgAnswer = await replyWith(tgTicket, '', files);
    expect(tgAnswer.status, tgAnswer.text).toBe(201);
    const mark = platform.seen.length;
    await deliver(team.workspace.id);
    const tgCalls = platform.seen.slice(mark);
    expect(tgCalls.map((r) => r.url)).toEqual(['/bottg-token/sendPhoto', '/bottg-token/sendDocument']);
    expect(tgCalls[0]!.body).toContain('name="chat_id"\r\n\r\n5151');
    expect(tgCalls[0]!.body).toContain('name="photo"; filename="photo.png"');
    expect(tgCalls[1]!.body).toContain('name="document"; filename="manual.pdf"');
    expect(tgCalls[1]!.body).toContain('%PDF-1.4 manual');
    expect(await delivery(tgAnswer.body.id as string)).toMatchObject({
      status: 'sent',
      externalId: '5151:601',
    });

    // A bridge cannot fetch our files: their bytes travel inline, base64, in the signed body.
    const bridge = await connect(team.admin.headers, genericAccount());
    const raw = JSON.stringify({
      messages: [{ conversationId: 'conv-media', id: 'gm1', from: { id: 'u-9' }, text: 'Invoice please' }],
    });
    const at = String(Math.floor(Date.now() / 1000));
    const bridged = await call(
      {
        'content-type': 'application/json',
        'x-rapport-timestamp': at,
        'x-rapport-signature': rapportSignature('generic-secret', at, raw),
      },
      'POST',
      bridge.webhookPath,
      raw,
    );
    const invoice = await upload(team.agent.headers, [
      { name: 'invoice.txt', type: 'text/plain', bytes: Buffer.from('total 30 EUR') },
    ]);
    await replyWith(bridged.body.data[0]!.ticketId as string, 'Attached.', invoice);
    await deliver(team.workspace.id);
    const out = platform.seen.filter((r) => r.url === '/bridge/out').pop()!;
    expect(JSON.parse(out.body).attachments).toEqual([
      {
        name: 'invoice.txt',
        contentType: 'text/plain',
        size: 12,
        contentBase64: Buffer.from('total 30 EUR').toString('base64'),
      },
    ]);
  });

  it('documents the generic channel in the OpenAPI file', async () => {
    const spec = (await call({}, 'GET', '/api/v1/openapi.json')).body as unknown as {
      paths: Record<string, Json>;
    };
    expect(spec.paths['/api/v1/channels/messaging/generic/{id}']).toBeDefined();
    expect(JSON.stringify(spec.paths['/api/v1/channels/messaging/generic/{id}'])).toContain('conversationId');
  });
});
