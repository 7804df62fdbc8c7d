import { Readable } from 'node:stream';
import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeTicket, makeWorkspace } from '../../test/support/factories.ts';
import { testDeps } from '../../test/support/http.ts';
import { buildApp } from '../app.ts';
import { type IncomingFile, uploadAttachments } from '../attachments/attachment-service.ts';
import { messages, outboundEmails, portalSessions, surveyResponses } from '../db/schema/index.ts';
import { fixedClock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { addMessage } from '../tickets/message-service.ts';
import { updateTicket } from '../tickets/ticket-service.ts';
import { LINK_TTL_MINUTES, PORTAL_COOKIE } from './portal-auth.ts';

describeEachDatabase('customer portal', (kind) => {
  let database: Database;
  let app: App;
  let origin: string;
  let deps: ReturnType<typeof testDeps>;
  let address = 0;
  const clock = fixedClock(new Date());
  const client = () => ({ 'x-forwarded-for': `203.0.113.${++address}` });

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    deps = testDeps(database, { clock });
    app = await buildApp(deps);
    origin = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => app?.close());

  /** A workspace where Casey has an email and a chat ticket, and Other has one of their own. */
  async function world() {
    const { workspace, admin } = await makeWorkspace(database.db);
    const email = `casey-${address}-${Date.now()}@example.test`;
    const first = await makeTicket(database.db, admin.actor, {
      subject: 'Cracked lid',
      customer: { email, name: 'Casey' },
    });
    const second = await makeTicket(database.db, admin.actor, {
      subject: 'Chat about delivery',
      customer: { email },
      channel: 'chat',
    });
    const other = await makeTicket(database.db, admin.actor, { subject: 'Someone else entirely' });
    await addMessage(database.db, admin.actor, first.id, {
      kind: 'public_reply',
      body: 'A new lid is on its way.',
    });
    await addMessage(database.db, admin.actor, first.id, {
      kind: 'internal_note',
      body: 'Secret: refund limit 20',
    });
    const base = `${origin}/help/${workspace.slug}/portal`;
    return { workspace, admin, email, first, second, other, base };
  }

  const form = (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...client(), ...headers },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });

  async function linkFor(workspaceId: string) {
    const rows = await database.db
      .select()
      .from(outboundEmails)
      .where(
        and(eq(outboundEmails.workspaceId, workspaceId), like(outboundEmails.dedupeKey, 'portal-link:%')),
      );
    const last = rows.at(-1);
    const url = last ? /(http\S+\/enter\?t=\S+)/.exec(last.bodyText)?.[1] : undefined;
    return { rows, url, token: url ? new URL(url).searchParams.get('t')! : '' };
  }

  async function signIn(base: string, email: string, workspaceId: string) {
    await form(`${base}/sign-in`, { email });
    const { token } = await linkFor(workspaceId);
    const entered = await form(`${base}/enter`, { t: token });
    const cookie = /rapport_portal=([^;]+)/.exec(entered.headers.get('set-cookie') ?? '')?.[1] ?? '';
    return { cookie: `${PORTAL_COOKIE}=${cookie}`, entered, token };
  }

  it('emails a one-time link through the outbound queue, telling strangers the same', async () => {
    const { base, email, workspace } = await world();
    const stranger = await form(`${base}/sign-in`, { email: 'nobody@example.test' });
    const strangerText = await stranger.text();
    expect((await linkFor(workspace.id)).rows).toHaveLength(0);
    const known = await form(`${base}/sign-in`, { email: email.toUpperCase() });
    const withoutNonces = (text: string) => text.replace(/nonce="[^"]+"/g, '');
    expect(withoutNonces(await known.text())).toBe(withoutNonces(strangerText));
    const { rows, url } = await linkFor(workspace.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'notification', toAddresses: [email], status: 'queued' });
    expect(url).toContain(`/help/${workspace.slug}/portal/enter?t=`);
    // Opening the link (as a mail scanner would) spends nothing: signing in takes the button.
    const landing = await fetch(url!);
    expect(await landing.text()).toContain('Continue to your requests');
  });

  it('signs in once per link with its own cookie, and lists only this customer’s tickets across channels', async () => {
    const { base, email, workspace, first, second, other } = await world();
    const { cookie, entered, token } = await signIn(base, email, workspace.id);
    expect(entered.status).toBe(303);
    const setCookie = entered.headers.get('set-cookie') ?? '';
    expect(setCookie).toContain(`Path=/help/${workspace.slug}/portal`);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    expect((await form(`${base}/enter`, { t: token })).status).toBe(410);
    const list = await (await fetch(base, { headers: { cookie } })).text();
    expect(list).toContain(`#${first.number} Cracked lid`);
    expect(list).toContain(`#${second.number} Chat about delivery`);
    expect(list).not.toContain('Someone else entirely');
    const page = await (await fetch(`${base}/tickets/${first.number}`, { headers: { cookie } })).text();
    expect(page).toContain('A new lid is on its way.');
    expect(page).not.toContain('refund limit');
    expect((await fetch(`${base}/tickets/${other.number}`, { headers: { cookie } })).status).toBe(404);
    // The portal cookie is no agent session, and an agent API never takes it.
    expect((await fetch(`${origin}/api/v1/tickets`, { headers: { cookie } })).status).toBe(401);
    const { workspace: elsewhere } = await makeWorkspace(database.db);
    const foreign = await fetch(`${origin}/help/${elsewhere.slug}/portal`, { headers: { cookie } });
    expect(await foreign.text()).toContain('Email me a sign-in link');
  });

  it('refuses expired and forged links, and cross-site writes', async () => {
    const { base, email, workspace } = await world();
    await form(`${base}/sign-in`, { email });
    const { token } = await linkFor(workspace.id);
    clock.advance((LINK_TTL_MINUTES + 1) * 60_000);
    const late = await form(`${base}/enter`, { t: token });
    expect(late.status).toBe(410);
    expect(await late.text()).toContain('It has expired');
    expect((await form(`${base}/enter`, { t: 'v1.forged.token.x' })).status).toBe(410);
    const crossSite = await form(`${base}/sign-in`, { email }, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
  });

  it('takes a reply with files as a customer message, and serves only the customer’s files', async () => {
    const { base, email, workspace, first, admin } = await world();
    const { cookie } = await signIn(base, email, workspace.id);
    const data = new FormData();
    data.append('body', 'Thanks, and here is a photo.');
    data.append('files', new Blob(['png bytes'], { type: 'image/png' }), 'lid.png');
    const sent = await fetch(`${base}/tickets/${first.number}/reply`, {
      method: 'POST',
      headers: { cookie, ...client() },
      body: data,
      redirect: 'manual',
    });
    expect(sent.status, await sent.clone().text()).toBe(303);
    const rows = await database.db.select().from(messages).where(eq(messages.ticketId, first.id));
    const reply = rows.find((row) => row.bodyText === 'Thanks, and here is a photo.');
    expect(reply).toMatchObject({
      kind: 'customer_message',
      channel: 'web',
      authorCustomerId: first.customerId,
    });
    const fileId = /\/api\/v1\/attachments\/(.+)$/.exec(reply!.attachments[0]!.url!)?.[1];
    const page = await (await fetch(`${base}/tickets/${first.number}`, { headers: { cookie } })).text();
    expect(page).toContain(`/portal/files/${fileId}`);
    const file = await fetch(`${base}/files/${fileId}`, { headers: { cookie } });
    expect(await file.text()).toBe('png bytes');
    expect(file.headers.get('content-security-policy')).toContain('sandbox');
    const [upload] = await uploadAttachments(
      deps,
      admin.actor,
      Readable.from([
        {
          filename: 'notes.txt',
          mimetype: 'text/plain',
          stream: Readable.from([Buffer.from('x')]),
          truncated: () => false,
        },
      ]) as AsyncIterable<IncomingFile>,
    );
    await addMessage(database.db, admin.actor, first.id, {
      kind: 'internal_note',
      body: 'internal file',
      attachmentIds: [upload!.id],
    });
    expect((await fetch(`${base}/files/${upload!.id}`, { headers: { cookie } })).status).toBe(404);
    expect((await fetch(`${base}/files/${fileId}`)).status).toBe(401);
    const outsider = await world();
    const theirs = await signIn(outsider.base, outsider.email, outsider.workspace.id);
    expect(
      (await fetch(`${outsider.base}/files/${fileId}`, { headers: { cookie: theirs.cookie } })).status,
    ).toBe(404);
  });

  it('rates a solved ticket once through the CSAT survey', async () => {
    const { base, email, workspace, first, admin } = await world();
    const { cookie } = await signIn(base, email, workspace.id);
    const early = await form(`${base}/tickets/${first.number}/rating`, { score: '5' }, { cookie });
    expect(early.status).toBe(400);
    expect(await early.text()).toContain('Only a solved request can be rated');
    await updateTicket(database.db, admin.actor, first.id, { status: 'solved' });
    const page = await (await fetch(`${base}/tickets/${first.number}`, { headers: { cookie } })).text();
    expect(page).toContain('How would you rate the support you received?');
    const rated = await form(
      `${base}/tickets/${first.number}/rating`,
      { score: '4', comment: 'Quick, thanks' },
      { cookie },
    );
    expect(rated.status).toBe(303);
    await form(`${base}/tickets/${first.number}/rating`, { score: '1' }, { cookie });
    const answers = await database.db
      .select()
      .from(surveyResponses)
      .where(eq(surveyResponses.ticketId, first.id));
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({
      kind: 'csat',
      score: 4,
      comment: 'Quick, thanks',
      customerId: first.customerId,
      source: 'portal',
    });
    const after = await (await fetch(`${base}/tickets/${first.number}`, { headers: { cookie } })).text();
    expect(after).toContain('You rated this 4 of 5.');
  });

  it('signs out: the session is gone', async () => {
    const { base, email, workspace } = await world();
    const { cookie } = await signIn(base, email, workspace.id);
    const out = await fetch(`${base}/sign-out`, {
      method: 'POST',
      headers: { cookie, ...client() },
      redirect: 'manual',
    });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toContain(`${PORTAL_COOKIE}=;`);
    expect(
      await database.db.select().from(portalSessions).where(eq(portalSessions.workspaceId, workspace.id)),
    ).toHaveLength(0);
    expect(await (await fetch(base, { headers: { cookie } })).text()).toContain('Email me a sign-in link');
  });
});
