import { randomBytes, randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { chatWorlds, type VisitorClient } from '../../test/support/chat-client.ts';
import { describeEachDatabase } from '../../test/support/databases.ts';

type Json = Record<string, unknown>;
type File = { name: string; type: string; data: Buffer };
type Sent = { name: string; contentType: string; size: number; url: string | null };

describeEachDatabase('files in live chat', (kind) => {
  const world = chatWorlds(kind);

  const setup = async () => {
    const w = await world();
    /** The widget's upload: a plain multipart form, the visitor token first. */
    const upload = async (token: string | null, files: File[], workspace = w.workspace.slug) => {
      const form = new FormData();
      if (token !== null) form.append('token', token);
      for (const file of files)
        form.append('file', new Blob([new Uint8Array(file.data)], { type: file.type }), file.name);
      const response = await fetch(`${w.live.url}/api/v1/chat/files?workspace=${workspace}`, {
        method: 'POST',
        body: form,
      });
      return { response, body: (await response.json()) as { data: { ref: string; name: string }[] } & Json };
    };
    const sendFiles = async (visitor: VisitorClient, refs: string[], text = '', conversationId?: string) => {
      const clientId = randomUUID();
      visitor.send({ type: 'message', clientId, text, files: refs, conversationId: conversationId ?? null });
      return visitor.waitFor(
        (f) => (f.type === 'ack' || f.type === 'error') && f.clientId === clientId,
        `ack of ${clientId}`,
      );
    };
    return { ...w, upload, sendFiles };
  };

  const fileOf = (visitor: VisitorClient, seq: number) => {
    const frame = visitor.frames.find((f) => f.type === 'message' && (f.message as Json).seq === seq);
    return ((frame?.message as Json | undefined)?.attachments as Sent[] | undefined) ?? [];
  };

  it('takes a visitor file into the chat ticket and gives the visitor a safe link to it', async () => {
    const w = await setup();
    const visitor = await w.visitor();
    const receipt = randomBytes(40_000);
    const page = Buffer.from('<html><script>alert(1)</script></html>');
    const uploaded = await w.upload(visitor.token, [
      { name: 'receipt.pdf', type: 'application/pdf', data: receipt },
      { name: 'page.html', type: 'text/html', data: page },
    ]);
    expect(uploaded.response.status).toBe(201);
    expect(uploaded.response.headers.get('access-control-allow-origin')).toBe('*');
    const refs = uploaded.body.data.map((f) => f.ref);

    // A file alone is a message; the ticket's subject names it.
    const ack = await w.sendFiles(visitor, refs);
    expect(ack).toMatchObject({ type: 'ack', seq: 1 });
    const ticketId = ack.conversationId as string;
    expect((await w.api('GET', `/api/v1/tickets/${ticketId}`)).body.subject).toBe('receipt.pdf, page.html');
    const timeline = await w.api('GET', `/api/v1/tickets/${ticketId}/messages`);
    const [stored] = timeline.body.data as { attachments: Sent[] }[];
    expect(stored!.attachments.map((a) => a.name)).toEqual(['receipt.pdf', 'page.html']);
    // The agent opens it through the console's own (signed-in) route.
    const agentCopy = await fetch(`${w.live.url}${stored!.attachments[0]!.url}`, { headers: w.agentHeaders });
    expect(Buffer.from(await agentCopy.arrayBuffer()).equals(receipt)).toBe(true);

    await visitor.waitForMessage((m) => m.seq === 1, 'the visitor sees their own message');
    const [pdf, html] = fileOf(visitor, 1);
    expect(pdf!.url).toMatch(/^\/api\/v1\/chat\/files\/[0-9a-f-]{36}\?workspace=.+&sig=/);
    const download = await fetch(`${w.live.url}${pdf!.url!}`);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(receipt)).toBe(true);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="receipt.pdf"/);
    const risky = await fetch(`${w.live.url}${html!.url!}`);
    expect(risky.headers.get('content-type')).toBe('application/octet-stream');
    expect(risky.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(risky.headers.get('content-security-policy')).toContain('sandbox');

    // A changed signature, or the link moved to another conversation, opens nothing.
    expect((await fetch(`${w.live.url}${pdf!.url!.replace(/sig=./, 'sig=x')}`)).status).toBe(404);
    const other = await w.visitor();
    const otherAck = await other.say('Another chat');
    const moved = pdf!.url!.replace(ticketId, otherAck.conversationId as string);
    expect((await fetch(`${w.live.url}${moved}`)).status).toBe(404);

    // The history endpoint hands out the same visitor links.
    const history = await fetch(
      `${w.live.url}/api/v1/chat/history?workspace=${w.workspace.slug}&conversation=${ticketId}`,
      { headers: { 'x-rapport-visitor': visitor.token } },
    );
    const replayed = ((await history.json()) as { messages: { attachments: Sent[] }[] }).messages;
    expect(replayed[0]!.attachments[0]!.url).toBe(pdf!.url);
  });

  it("sends an agent's reply files to the widget as links, and refuses another visitor's uploads", async () => {
    const w = await setup();
    const visitor = await w.visitor();
    const ack = await visitor.say('Can you send the manual?');
    const ticketId = ack.conversationId as string;

    const manual = randomBytes(5000);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(manual)], { type: 'application/pdf' }), 'manual.pdf');
    const agentUpload = await fetch(`${w.live.url}/api/v1/attachments`, {
      method: 'POST',
      headers: w.agentHeaders,
      body: form,
    });
    const [file] = ((await agentUpload.json()) as { data: { id: string }[] }).data;
    const reply = await w.api('POST', `/api/v1/tickets/${ticketId}/messages`, {
      kind: 'public_reply',
      body: 'Here it is.',
      attachmentIds: [file!.id],
    });
    expect(reply.status).toBe(201);
    const answer = await visitor.waitForMessage((m) => m.sender === 'agent', "the agent's reply");
    const [link] = fileOf(visitor, answer.seq);
    expect(link).toMatchObject({ name: 'manual.pdf', size: 5000 });
    const download = await fetch(`${w.live.url}${link!.url}`);
    expect(Buffer.from(await download.arrayBuffer()).equals(manual)).toBe(true);
    // The console's route still wants a signed-in agent.
    expect((await fetch(`${w.live.url}/api/v1/attachments/${file!.id}`)).status).toBe(401);

    // Refs are bound to the visitor who uploaded them.
    const stranger = await w.visitor();
    const theirs = await w.upload(stranger.token, [
      { name: 'a.txt', type: 'text/plain', data: Buffer.from('a') },
    ]);
    const refused = await w.sendFiles(visitor, [theirs.body.data[0]!.ref], 'look', ticketId);
    expect(refused).toMatchObject({ type: 'error', code: 'validation_failed' });
    const forged = await w.sendFiles(visitor, [`${file!.id}.forged`], 'look', ticketId);
    expect(forged).toMatchObject({ type: 'error', code: 'validation_failed' });
  });

  it('refuses uploads without a valid visitor token, or over the size limit', async () => {
    const w = await setup();
    const small = [{ name: 'a.txt', type: 'text/plain', data: Buffer.from('hello') }];
    expect((await w.upload(null, small)).response.status).toBe(401);
    expect((await w.upload('v1.made-up.token', small)).response.status).toBe(401);
    const visitor = await w.visitor();
    expect((await w.upload(visitor.token, [])).response.status).toBe(400);
    const tooBig = [
      { name: 'big.bin', type: 'application/octet-stream', data: Buffer.alloc(25 * 1024 * 1024 + 1) },
    ];
    const refused = await w.upload(visitor.token, tooBig);
    expect(refused.response.status).toBe(413);
    expect(refused.body.type).toBe('urn:rapport:problem:payload_too_large');
  });
});
