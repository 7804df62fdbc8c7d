import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, sharedDatabase } from '../../test/support/databases.ts';
import { makeWorkspace } from '../../test/support/factories.ts';
import { bearerFor, testDeps } from '../../test/support/http.ts';
import { buildApp } from '../app.ts';
import { createPolicy } from '../automation/sla-admin-service.ts';
import { slaEngine } from '../automation/sla-engine.ts';
import {
  attachments,
  callbackRequests,
  customerIdentities,
  messages,
  ticketSlas,
  tickets,
} from '../db/schema/index.ts';
import { createField } from '../fields/field-service.ts';
import { createArticle } from '../kb/kb-service.ts';
import { systemClock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import type { App } from '../platform/http/server.ts';
import { createLogger } from '../platform/logger.ts';
import { createOutboxRelay } from '../platform/outbox/relay.ts';
import { createInlineQueue } from '../platform/queue/inline-queue.ts';
import { solveChallenge } from './proof-of-work.ts';
import { CONTACT_SUBMIT_LIMIT } from './webform-routes.ts';

describeEachDatabase('contact form', (kind) => {
  let database: Database;
  let app: App;
  let origin: string;
  let address = 0;
  // Each test sends from its own address (trusted X-Forwarded-For), so one test's limit never stops another.
  const client = () => ({ 'x-forwarded-for': `198.51.100.${++address}` });

  beforeAll(async () => {
    database = await sharedDatabase(kind);
    app = await buildApp(testDeps(database));
    origin = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => app?.close());

  async function workspaceWithForm() {
    const { workspace, admin } = await makeWorkspace(database.db);
    await createField(database.db, admin.actor, {
      entity: 'ticket',
      key: 'order_number',
      label: 'Order number',
      type: 'text',
      required: true,
    });
    await createField(database.db, admin.actor, {
      entity: 'ticket',
      key: 'product',
      label: 'Product',
      type: 'select',
      options: ['Kettle', 'Toaster'],
    });
    await createField(database.db, admin.actor, {
      entity: 'ticket',
      key: 'units',
      label: 'Units',
      type: 'number',
    });
    const headers = await bearerFor(database, admin.actor);
    return { workspace, admin, headers, base: `${origin}/help/${workspace.slug}` };
  }

  const form = (
    fields: Record<string, string>,
    files: Array<{ name: string; type: string; body: string }> = [],
  ) => {
    const data = new FormData();
    for (const [name, value] of Object.entries(fields)) data.append(name, value);
    for (const file of files) data.append('files', new Blob([file.body], { type: file.type }), file.name);
    return data;
  };
  const valid = (email: string) => ({
    website: '',
    name: 'Robin Buyer',
    email,
    subject: 'Kettle leaks after a week',
    message: 'Water comes out of the bottom.',
    field_order_number: 'A-1001',
    field_product: 'Kettle',
    field_units: '2',
  });
  const post = (base: string, data: FormData, from = client()) =>
    fetch(`${base}/contact`, { method: 'POST', body: data, headers: from, redirect: 'manual' });
  const ticketsOf = (workspaceId: string) =>
    database.db.select().from(tickets).where(eq(tickets.workspaceId, workspaceId));

  it("shows the workspace's custom fields, a honeypot and suggested articles under a nonce CSP", async () => {
    const { base, admin } = await workspaceWithForm();
    await createArticle(database.db, admin.actor, {
      title: 'My kettle leaks',
      body: 'Check the seal under the lid.',
      status: 'published',
    });
    const response = await fetch(`${base}/contact?q=kettle%20leaks`, { headers: client() });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(text).toContain(`<script nonce="${nonce}">`);
    expect(text).toContain('enctype="multipart/form-data"');
    expect(text).toMatch(
      /<input id="field_order_number" name="field_order_number" type="text" value="" required>/,
    );
    expect(text).toContain('<option>Toaster</option>');
    expect(text).toContain('name="website"');
    expect(text).toContain('These articles may answer your question');
    expect(text).toContain('My kettle leaks');
    expect(text).toContain('value="kettle leaks"');
    // The help center's "Contact us" leads here; the form does not link to itself.
    expect(text).not.toContain('Contact us</a>');
  });

  it("suggests articles as JSON while typing: the help center's search, or the answer bot when it answers web", async () => {
    const { base, admin, headers } = await workspaceWithForm();
    await createArticle(database.db, admin.actor, {
      title: 'Descale your kettle',
      body: 'Vinegar and water, boiled twice, remove the limescale from a kettle.',
      status: 'published',
    });
    const searched = await fetch(`${base}/contact/suggestions?q=descale%20kettle`, { headers: client() });
    expect(await searched.json()).toMatchObject({
      source: 'search',
      data: [{ title: 'Descale your kettle', url: expect.stringContaining('/articles/') }],
    });
    const bot = await fetch(`${origin}/api/v1/answer-bot/settings`, {
      method: 'PATCH',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: true, channels: ['web'], threshold: 0 }),
    });
    expect(bot.status).toBe(200);
    const offered = await fetch(`${base}/contact/suggestions?q=how%20do%20I%20descale%20my%20kettle`, {
      headers: client(),
    });
    expect(await offered.json()).toMatchObject({
      source: 'answer_bot',
      data: [{ title: 'Descale your kettle' }],
    });
  });

  it('opens a web ticket with its fields and files, acknowledged with a redirect after commit', async () => {
    const { base, workspace } = await workspaceWithForm();
    const response = await post(
      base,
      form(valid('Robin@Example.test'), [
        { name: 'leak.jpg', type: 'image/jpeg', body: 'jpeg bytes' },
        { name: 'receipt.txt', type: 'text/plain', body: 'paid 30 EUR' },
      ]),
    );
    expect(response.status, await response.clone().text()).toBe(303);
    const [ticket] = await ticketsOf(workspace.id);
    expect(ticket).toMatchObject({
      subject: 'Kettle leaks after a week',
      channel: 'web',
      status: 'new',
      customFields: { order_number: 'A-1001', product: 'Kettle', units: 2 },
    });
    expect(response.headers.get('location')).toBe(`/help/${workspace.slug}/contact/sent?n=${ticket!.number}`);
    const [message] = await database.db.select().from(messages).where(eq(messages.ticketId, ticket!.id));
    expect(message).toMatchObject({ kind: 'customer_message', bodyText: 'Water comes out of the bottom.' });
    expect(message!.attachments.map((file) => file.name).sort()).toEqual(['leak.jpg', 'receipt.txt']);
    const files = await database.db.select().from(attachments).where(eq(attachments.messageId, message!.id));
    expect(files).toHaveLength(2);
    const [identity] = await database.db
      .select()
      .from(customerIdentities)
      .where(and(eq(customerIdentities.workspaceId, workspace.id), eq(customerIdentities.kind, 'email')));
    expect(identity).toMatchObject({ value: 'robin@example.test', customerId: ticket!.customerId });
    const sent = await fetch(new URL(response.headers.get('location')!, origin));
    expect(await sent.text()).toContain(`We got your request #${ticket!.number}`);
  });

  it('drops a filled honeypot like a success, and stores neither ticket nor file', async () => {
    const { base, workspace } = await workspaceWithForm();
    const response = await post(
      base,
      form({ ...valid('bot@example.test'), website: 'http://spam.example' }, [
        { name: 'x.txt', type: 'text/plain', body: 'spam' },
      ]),
    );
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/help/${workspace.slug}/contact/sent`);
    expect(await ticketsOf(workspace.id)).toHaveLength(0);
    expect(
      await database.db.select().from(attachments).where(eq(attachments.workspaceId, workspace.id)),
    ).toHaveLength(0);
  });

  it('shows the form again with each problem named, keeping what was typed, and stores nothing', async () => {
    const { base, workspace } = await workspaceWithForm();
    const { field_order_number: _dropped, ...rest } = valid('not-an-email');
    const response = await post(
      base,
      form({ ...rest, field_units: 'many' }, [{ name: 'a.txt', type: 'text/plain', body: 'a' }]),
    );
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(text).toContain('Enter an email address like you@example.com');
    expect(text).toContain('value="Kettle leaks after a week"');
    expect(await ticketsOf(workspace.id)).toHaveLength(0);
    const fixedEmail = await post(base, form({ ...rest, email: 'robin@example.test', field_units: 'many' }));
    expect(await fixedEmail.text()).toContain('must be a number');
    const noOrder = await post(base, form({ ...rest, email: 'robin@example.test' }));
    expect(await noOrder.text()).toContain('Order number is required');
    expect(
      await database.db.select().from(attachments).where(eq(attachments.workspaceId, workspace.id)),
    ).toHaveLength(0);
  });

  it('limits submissions per address', async () => {
    const { base } = await workspaceWithForm();
    const from = client();
    const statuses: number[] = [];
    for (let i = 0; i <= CONTACT_SUBMIT_LIMIT.max; i++)
      statuses.push((await post(base, form({ ...valid('r@example.test'), website: 'x' }), from)).status);
    expect(statuses.slice(0, CONTACT_SUBMIT_LIMIT.max).every((status) => status === 303)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    expect((await post(base, form({ ...valid('r@example.test'), website: 'x' }))).status).toBe(303);
  });

  it('asks for proof-of-work when switched on: unsolved and replayed stamps are refused', async () => {
    const { base, workspace, headers } = await workspaceWithForm();
    const patched = await fetch(`${origin}/api/v1/contact-form/settings`, {
      method: 'PATCH',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ powBits: 8 }),
    });
    expect(patched.status).toBe(200);
    const page = await (await fetch(`${base}/contact`, { headers: client() })).text();
    expect(page).toContain('data-pow-bits="8"');
    const challenge = /name="pow_challenge" value="([^"]+)"/.exec(page)?.[1] ?? '';
    expect(challenge).not.toBe('');
    const unsolved = await post(
      base,
      form({ ...valid('p@example.test'), pow_challenge: challenge, pow_nonce: '' }),
    );
    expect(unsolved.status).toBe(400);
    expect(await unsolved.text()).toContain('did not finish its check');
    const forged = await post(
      base,
      form({ ...valid('p@example.test'), pow_challenge: 'v1.a.b.c', pow_nonce: '1' }),
    );
    expect(forged.status).toBe(400);
    const nonce = solveChallenge(challenge, 8);
    const solved = await post(
      base,
      form({ ...valid('p@example.test'), pow_challenge: challenge, pow_nonce: nonce }),
    );
    expect(solved.status).toBe(303);
    const replay = await post(
      base,
      form({ ...valid('p@example.test'), pow_challenge: challenge, pow_nonce: nonce }),
    );
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('sent already');
    expect(await ticketsOf(workspace.id)).toHaveLength(1);
    // The replay's file was stored before the spent stamp showed: it is removed, not left unsent.
    const withFile = await post(
      base,
      form({ ...valid('p@example.test'), pow_challenge: challenge, pow_nonce: nonce }, [
        { name: 'late.txt', type: 'text/plain', body: 'stored, then refused' },
      ]),
    );
    expect(withFile.status).toBe(400);
    expect(
      await database.db
        .select()
        .from(attachments)
        .where(and(eq(attachments.workspaceId, workspace.id), isNull(attachments.messageId))),
    ).toHaveLength(0);
  });

  it("queues a call back asked on the form at the visitor's local time, tagged and under the callback SLA", async () => {
    const { base, workspace, admin } = await workspaceWithForm();
    await createPolicy(database.db, admin.actor, {
      name: 'Call backs',
      conditions: { tags: ['callback'] },
      firstReplyMinutes: 120,
    });
    const page = await (await fetch(`${base}/contact`, { headers: client() })).text();
    expect(page).toContain('name="callback_phone"');
    expect(page).toContain('type="datetime-local"');

    const refused = await post(
      base,
      form({ ...valid('c@example.test'), callback: '1', callback_phone: 'soon', callback_time: '' }),
    );
    const refusal = await refused.text();
    expect(refused.status).toBe(400);
    expect(refusal).toContain('Enter a phone number like');
    expect(refusal).toContain('Choose a day and a time');

    const response = await post(
      base,
      form({
        ...valid('c@example.test'),
        callback: '1',
        callback_phone: '+33 1 23 45 67 89',
        callback_time: '2026-12-10T16:00',
        callback_zone: 'Europe/Paris',
      }),
    );
    expect(response.status, await response.clone().text()).toBe(303);
    const [ticket] = await ticketsOf(workspace.id);
    expect(ticket).toMatchObject({ channel: 'web', tags: ['callback'] });
    const [queued] = await database.db
      .select()
      .from(callbackRequests)
      .where(eq(callbackRequests.workspaceId, workspace.id));
    expect(queued).toMatchObject({
      ticketId: ticket!.id,
      customerId: ticket!.customerId,
      phone: '+33 1 23 45 67 89',
      timeZone: 'Europe/Paris',
      status: 'pending',
      notes: 'Kettle leaks after a week',
    });
    expect(queued!.preferredAt.toISOString()).toBe('2026-12-10T15:00:00.000Z');
    const [message] = await database.db.select().from(messages).where(eq(messages.ticketId, ticket!.id));
    expect(message!.bodyText).toContain(
      'Please call me back on +33 1 23 45 67 89 at 2026-12-10 16:00 (Europe/Paris).',
    );

    const relay = createOutboxRelay({
      database,
      handlers: [slaEngine(createInlineQueue(systemClock))],
      logger: createLogger('silent'),
      workspaceId: workspace.id,
    });
    await relay.drain();
    const [clock] = await database.db.select().from(ticketSlas).where(eq(ticketSlas.ticketId, ticket!.id));
    expect(clock).toMatchObject({ metric: 'first_reply', targetMinutes: 120 });

    // A zone the browser got wrong falls back to UTC for a customer without one.
    const unknownZone = await post(
      base,
      form({
        ...valid('d@example.test'),
        callback: '1',
        callback_phone: '+1 555 0100',
        callback_time: '2026-12-10T16:00',
        callback_zone: 'Mars/Olympus',
      }),
    );
    expect(unknownZone.status).toBe(303);
    const zones = await database.db
      .select({ timeZone: callbackRequests.timeZone })
      .from(callbackRequests)
      .where(eq(callbackRequests.workspaceId, workspace.id));
    expect(zones.map((row) => row.timeZone).sort()).toEqual(['Europe/Paris', 'UTC']);
  });

  it('embeds: a frameable bare form, a script that frames it, and snippets in the settings', async () => {
    const { base, workspace, headers } = await workspaceWithForm();
    const embed = await fetch(`${base}/contact/embed`, { headers: client() });
    const text = await embed.text();
    expect(embed.headers.get('content-security-policy')).toContain('frame-ancestors *');
    expect(text).toContain('<body class="bare">');
    expect(text).not.toContain('class="site"');
    expect(text).toContain('<input type="hidden" name="embedded" value="1">');
    const script = await fetch(`${base}/contact/embed.js`);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect(await script.text()).toContain(`/contact/embed'`);
    const settings = await fetch(`${origin}/api/v1/contact-form/settings`, {
      method: 'PATCH',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ embedOrigins: ['https://shop.example.test/contact'] }),
    });
    const body = (await settings.json()) as { embedOrigins: string[]; embed: { script: string } };
    expect(body.embedOrigins).toEqual(['https://shop.example.test']);
    expect(body.embed.script).toBe(`<script src="${base}/contact/embed.js" async></script>`);
    const framed = await fetch(`${base}/contact/embed`, { headers: client() });
    expect(framed.headers.get('content-security-policy')).toContain(
      'frame-ancestors https://shop.example.test',
    );
    const sent = await post(base, form({ ...valid('e@example.test'), embedded: '1' }));
    expect(sent.headers.get('location')).toMatch(/\/contact\/sent\?n=\d+&embed=1$/);
    const [ticket] = await ticketsOf(workspace.id);
    const [message] = await database.db.select().from(messages).where(eq(messages.ticketId, ticket!.id));
    expect(message!.channelMeta).toMatchObject({ webForm: { embedded: true } });
  });

  it('answers 404 for an unknown workspace or a switched-off form, which the help center then leaves out', async () => {
    const { base, headers } = await workspaceWithForm();
    expect((await fetch(`${origin}/help/no-such-place/contact`)).status).toBe(404);
    await fetch(`${origin}/api/v1/contact-form/settings`, {
      method: 'PATCH',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: false }),
    });
    expect((await fetch(`${base}/contact`, { headers: client() })).status).toBe(404);
    expect(await (await fetch(base, { headers: client() })).text()).not.toContain('Contact us');
  });
});
