import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboundSender, type OutboundSender } from '../../src/email/outbound-sender.ts';
import { systemActor } from '../../src/platform/auth/actor.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { addMessage } from '../../src/tickets/message-service.ts';
import { browserAvailable, launchBrowser, watchConsole } from '../support/browser.ts';
import { databaseKinds, sharedDatabase } from '../support/databases.ts';
import { composeEmail, uniqueAddress } from '../support/email.ts';
import { makeUser, makeWorkspace, TEST_PASSWORD } from '../support/factories.ts';
import { bearerFor } from '../support/http.ts';
import { type LiveApp, startLiveApp } from '../support/live-app.ts';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.ts';

const shots = 'test-results/screenshots';
const RELAY = { username: 'relay-user', password: 'relay-secret-1' };
type Intake = { status: string; ticketId: string | null; reason: string | null };
type Flagged = { __rapportXss?: unknown };

/** A loopback port nothing listens on: an IMAP mailbox pointed there fails to connect, for real. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

for (const kind of databaseKinds())
  describe.runIf(browserAvailable())(`email channel in the console [${kind}]`, () => {
    let live: LiveApp;
    let browser: Browser;
    let sink: SmtpSink;
    let sender: OutboundSender;
    let admin: { email: string; name: string };
    let agent: { email: string };
    let bearer: Record<string, string>;
    let support: string;
    let database: Database;
    let workspaceId: string;

    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${live.url}/api/v1${path}`, {
        method,
        headers: { ...bearer, ...(body !== undefined && { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
      return text ? (JSON.parse(text) as unknown) : undefined;
    };
    const intake = async (raw: Buffer): Promise<Intake> => {
      const response = await fetch(`${live.url}/api/v1/channels/email/inbound`, {
        method: 'POST',
        headers: { ...bearer, 'content-type': 'message/rfc822' },
        body: new Uint8Array(raw),
      });
      expect(response.status).toBe(200);
      return (await response.json()) as Intake;
    };

    async function signIn(page: Page, email = admin.email) {
      await page.goto(live.url);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Unassigned' }).waitFor();
    }
    async function openEmailAdmin(page: Page) {
      await page.getByRole('link', { name: 'Admin' }).click();
      await page.getByRole('link', { name: 'Email', exact: true }).click();
      await page.getByRole('heading', { name: 'Support addresses' }).waitFor();
    }

    beforeAll(async () => {
      mkdirSync(shots, { recursive: true });
      database = await sharedDatabase(kind);
      const world = await makeWorkspace(database.db);
      workspaceId = world.workspace.id;
      admin = world.admin;
      agent = await makeUser(database.db, workspaceId, 'agent');
      bearer = await bearerFor(database, world.admin.actor);
      live = await startLiveApp(database, world.workspace.id);
      sink = await startSmtpSink({ credentials: RELAY });
      // The worker's sending loop, limited to this workspace, as `rapport start` runs it.
      sender = createOutboundSender(live.deps, { workspaceId: world.workspace.id, pollMs: 200 });
      await sender.start();
      support = uniqueAddress('help');
      await call('POST', '/channels/email/addresses', { address: support, displayName: 'Shop Help' });
      browser = await launchBrowser();
    }, 240_000);

    afterAll(async () => {
      await browser?.close();
      await sender?.stop();
      await live?.close();
      await sink?.close();
    });

    it('adds a support address with a team, and tests the relay with its SMTP error shown', async () => {
      const team = (await call('POST', '/teams', { name: `Returns ${kind}` })) as {
        id: string;
        name: string;
      };
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems = watchConsole(page);
      await signIn(page);
      await openEmailAdmin(page);

      const address = uniqueAddress('returns');
      await page.getByRole('button', { name: 'Add address' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Address', { exact: true }).fill(address);
      await dialog.getByLabel('Display name', { exact: true }).fill('Returns desk');
      await dialog.getByLabel('Team', { exact: true }).selectOption({ label: team.name });
      await dialog.getByLabel(/^Default address/).check();
      await dialog.getByRole('button', { name: 'Create' }).click();
      await page.getByText(`${address} was added.`).waitFor();
      const row = page.getByRole('row', { name: new RegExp(address) });
      await expect.poll(() => row.textContent()).toMatch(/Default[\s\S]*Returns desk[\s\S]*Returns/);
      // The default moved: the address made before is no longer the default.
      await expect
        .poll(() => page.getByRole('row', { name: new RegExp(support) }).textContent())
        .not.toMatch(/Default/);

      const relay = page.getByRole('form', { name: /SMTP relay/ });
      await relay.getByLabel('Host', { exact: true }).fill(sink.host);
      await relay.getByLabel('Port', { exact: true }).fill(String(sink.port));
      await relay.getByLabel('Username', { exact: true }).fill(RELAY.username);
      await relay.getByLabel('Password', { exact: true }).fill('not-the-password');
      await relay.getByRole('button', { name: 'Save' }).click();
      await page.getByText('The relay was saved.').waitFor();
      // Write-only: the form is empty again and says a password is kept.
      expect(await relay.getByLabel('Password', { exact: true }).inputValue()).toBe('');
      await relay.getByText('A password is stored.', { exact: false }).waitFor();
      await relay.getByRole('button', { name: 'Send test' }).click();
      await relay.getByText(/The relay refused the test message: .*535/).waitFor();

      await relay.getByLabel('Password', { exact: true }).fill(RELAY.password);
      await relay.getByRole('button', { name: 'Save' }).click();
      await page.getByText('The relay was saved.').waitFor();
      await relay.getByRole('button', { name: 'Send test' }).click();
      await relay.getByText(`The relay took the test message; it is on its way to ${admin.email}.`).waitFor();
      expect(sink.messages.at(-1)?.to).toEqual([admin.email]);

      const mailbox = `inbox-${kind}@shop.example.test`;
      await page.getByRole('button', { name: 'Add mailbox' }).click();
      await dialog.getByLabel('IMAP host', { exact: true }).fill('127.0.0.1');
      await dialog.getByLabel('Port', { exact: true }).fill(String(await closedPort()));
      await dialog.getByLabel(/^TLS from the first byte/).uncheck();
      await dialog.getByLabel('Username', { exact: true }).fill(mailbox);
      await dialog.getByLabel('Password', { exact: true }).fill('imap-secret');
      await dialog.getByRole('button', { name: 'Create' }).click();
      await page.getByText(`${mailbox} · 127.0.0.1/INBOX was added.`).waitFor();
      await page.getByRole('button', { name: `Poll now: ${mailbox} · 127.0.0.1/INBOX` }).click();
      await page
        .getByRole('alert')
        .filter({ hasText: `${mailbox} · 127.0.0.1/INBOX:` })
        .waitFor();
      const mailboxRow = page.getByRole('row', { name: new RegExp(mailbox) });
      await expect.poll(() => mailboxRow.textContent()).toMatch(/Polling[\s\S]*(ago|just now)[\s\S]*\S/);
      expect(await mailboxRow.locator('.adm-error-cell').textContent()).not.toBe('');

      await page.screenshot({ path: `${shots}/email-admin.png`, fullPage: true });
      expect(problems.unexpected()).toEqual([]);
    });

    it('shows an email’s From and Cc, folds its quotes, and runs none of its scripts', async () => {
      const from = `casey-${kind}-${Date.now()}@customer.example.test`;
      const first = await composeEmail({
        from: { name: 'Casey Customer', address: from },
        to: support,
        cc: { name: 'Robin Buyer', address: 'robin@customer.example.test' },
        subject: 'Cracked lid',
        text: 'My lid arrived cracked.\n\nOn Mon, Robin wrote:\n> Earlier quoted history line',
        html:
          '<p>My lid arrived cracked.</p>' +
          `<img src="x" onerror="window.top.__rapportXss='img';alert('img')">` +
          `<script>window.top.__rapportXss='script';alert('script')</script>` +
          `<a href="javascript:window.top.__rapportXss='link'">See the photo</a>` +
          '<p>On Mon, Robin wrote:</p><blockquote>Earlier quoted history line</blockquote>',
        messageId: `<first-${Date.now()}@customer.example.test>`,
      });
      const stored = await intake(first);
      expect(stored.status).toBe('stored');
      const firstId = first
        .toString()
        .match(/^Message-ID: (.+)$/m)![1]!
        .trim();
      const follow = await intake(
        await composeEmail({
          from: { name: 'Casey Customer', address: from },
          to: support,
          subject: 'Re: Cracked lid',
          inReplyTo: firstId,
          references: [firstId],
          text: 'Any news on this?\n\nOn Mon, 30 Nov 2026, Shop Help wrote:\n> We are looking into it.',
        }),
      );
      expect(follow.ticketId).toBe(stored.ticketId);
      const auto = await intake(
        await composeEmail({
          from,
          to: support,
          subject: 'Out of office',
          inReplyTo: firstId,
          headers: { 'Auto-Submitted': 'auto-replied' },
          text: 'I am away until Monday.',
        }),
      );
      expect(auto.ticketId).toBe(stored.ticketId);
      // As the intake leaves a message whose file was over the per-file limit (its own test makes one).
      await addMessage(database.db, systemActor(workspaceId), stored.ticketId!, {
        kind: 'customer_message',
        body: 'Here is the unboxing video.',
        channel: 'email',
        channelMeta: {
          skippedAttachments: [
            { name: 'unboxing.mp4', size: 30 * 1024 ** 2, reason: 'larger than the per-file limit' },
          ],
        },
      });

      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      const problems = watchConsole(page);
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await signIn(page);
      await page.goto(`${live.url}/tickets/${stored.ticketId}`);
      const opening = page.getByRole('article', { name: /from Casey Customer/ }).first();
      const headers = opening.getByRole('definition');
      await expect
        .poll(() => headers.allTextContents())
        .toEqual([`Casey Customer <${from}>`, support, 'robin@customer.example.test']);

      const frame = page.frameLocator('iframe.message-frame').first();
      await frame.getByText('My lid arrived cracked.').waitFor();
      await frame.getByText('Earlier quoted history line').waitFor({ state: 'hidden' });
      await opening.getByRole('button', { name: 'Show quoted text' }).click();
      await frame.getByText('Earlier quoted history line').waitFor();
      await opening.getByRole('button', { name: 'Hide quoted text' }).click();
      await frame.getByText('Earlier quoted history line').waitFor({ state: 'hidden' });
      await frame.getByText('See the photo').click();

      const reply = page.getByRole('article', { name: /from Casey Customer/ }).nth(1);
      await reply.getByText('Any news on this?').waitFor();
      await reply.getByText('We are looking into it.', { exact: false }).waitFor({ state: 'hidden' });
      await reply.getByRole('button', { name: 'Show quoted text' }).click();
      await reply.getByText('> We are looking into it.').waitFor();
      await page
        .getByRole('article')
        .filter({ hasText: 'I am away until Monday.' })
        .getByText('Automatic reply')
        .waitFor();
      await page
        .getByRole('article')
        .filter({ hasText: 'Here is the unboxing video.' })
        .getByText('unboxing.mp4 (30.0 MB): larger than the per-file limit')
        .waitFor();
      await page.screenshot({ path: `${shots}/email-ticket.png` });

      expect(await page.evaluate(() => (window as Flagged).__rapportXss)).toBeUndefined();
      expect(await frame.locator('script, [onerror]').count()).toBe(0);
      expect(await frame.getByText('See the photo').getAttribute('href')).toBeNull();
      expect(dialogs).toEqual([]);
      expect(problems.unexpected()).toEqual([]);
    });

    it('shows a reply’s email as sent, and as failed with its reason until an admin retries it', async () => {
      await call('PUT', '/channels/email/relay', { host: sink.host, port: sink.port, ...RELAY });
      const from = `dana-${kind}-${Date.now()}@customer.example.test`;
      const stored = await intake(
        await composeEmail({ from, to: support, subject: 'Wrong size', text: 'The shoes are too small.' }),
      );
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems = watchConsole(page);
      await signIn(page);
      await page.goto(`${live.url}/tickets/${stored.ticketId}`);
      await page.getByRole('form', { name: 'Write a message' }).waitFor();

      await page.locator('#composer-body').fill('A bigger pair is on its way.');
      await page.getByRole('button', { name: /^Send/ }).first().click();
      const sent = page.getByRole('article').filter({ hasText: 'A bigger pair is on its way.' });
      await sent.getByText('Emailed').waitFor({ timeout: 20_000 });
      await sent.getByText(`to ${from}`).waitFor();

      sink.refuseNext(1, { code: 550, text: 'Mailbox unavailable' });
      await page.locator('#composer-body').fill('Here is the return label.');
      await page.getByRole('button', { name: /^Send/ }).first().click();
      const failed = page.getByRole('article').filter({ hasText: 'Here is the return label.' });
      await failed.getByText(/^Email failed: .*550/).waitFor({ timeout: 20_000 });
      await page.screenshot({ path: `${shots}/email-delivery-failed.png` });
      // An agent sees why it failed, but retrying is the admins'.
      const agentPage = await (await browser.newContext()).newPage();
      await signIn(agentPage, agent.email);
      await agentPage.goto(page.url());
      const agentView = agentPage.getByRole('article').filter({ hasText: 'Here is the return label.' });
      await agentView.getByText(/^Email failed: .*550/).waitFor();
      expect(await agentView.getByRole('button', { name: 'Retry' }).count()).toBe(0);
      await failed.getByRole('button', { name: 'Retry' }).click();
      await failed.getByText('Emailed').waitFor({ timeout: 20_000 });
      expect(await failed.getByRole('button', { name: 'Retry' }).count()).toBe(0);
      expect(sink.messages.filter((message) => message.to.includes(from))).toHaveLength(2);
      expect(problems.unexpected()).toEqual([]);
    });

    it('lists held mail with its reason; download, release and delete work', async () => {
      const subject = `No sender here ${kind}`;
      const held = await intake(await composeEmail({ to: support, subject, text: 'Who sent me?' }));
      expect(held).toMatchObject({ status: 'quarantined', reason: 'no sender address' });
      // One sender over the hourly limit: the next message is held, and releasing it lets it in.
      const loud = `loud-${kind}-${Date.now()}@customer.example.test`;
      for (let n = 0; n < 30; n++)
        await intake(await composeEmail({ from: loud, to: support, subject: `Ping ${n}`, text: 'ping' }));
      const over = await intake(
        await composeEmail({ from: loud, to: support, subject: 'One too many', text: 'ping' }),
      );
      expect(over.status).toBe('quarantined');

      const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
      const problems = watchConsole(page);
      await signIn(page);
      await openEmailAdmin(page);
      const quarantine = page.getByRole('region', { name: 'Quarantine' });
      const row = quarantine.getByRole('row', { name: new RegExp(subject) });
      await expect.poll(() => row.textContent()).toMatch(/no sender address\s*No sender\s*No sender here/);
      await expect
        .poll(() =>
          page.getByLabel('Inbound mail since the start').getByRole('definition').last().textContent(),
        )
        .toMatch(/^[1-9]/);

      await page.screenshot({ path: `${shots}/email-admin-top.png` });
      await quarantine.screenshot({ path: `${shots}/email-quarantine.png` });

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        row.getByRole('link', { name: `Download: ${subject}` }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.eml$/);
      expect(readFileSync((await download.path())!, 'utf8')).toContain(`Subject: ${subject}`);

      await row.getByRole('button', { name: `Release: ${subject}` }).click();
      await quarantine.getByText('It could not be taken in and is held again: no sender address').waitFor();
      await quarantine.getByRole('button', { name: `Delete: ${subject}` }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
      await quarantine.getByText('The held message was deleted.').waitFor();
      await expect.poll(() => quarantine.getByRole('row', { name: new RegExp(subject) }).count()).toBe(0);

      await quarantine.getByRole('button', { name: 'Release: One too many' }).click();
      await quarantine.getByText('Released: the message is on a ticket now.').waitFor();
      await expect.poll(() => quarantine.getByRole('row', { name: /One too many/ }).count()).toBe(0);
      await quarantine.getByRole('link', { name: 'Open the ticket' }).click();
      await page.getByRole('heading', { name: /One too many/ }).waitFor();
      expect(problems.unexpected()).toEqual([]);
    });

    it('keeps the email notification toggles across a reload', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const problems = watchConsole(page);
      await signIn(page);
      await page.getByRole('link', { name: 'My account' }).click();
      const assigned = page.getByLabel('When someone else assigns a ticket to me');
      const replied = page.getByLabel('When a customer writes on a ticket assigned to me');
      await assigned.waitFor();
      const before = {
        ticketAssigned: await assigned.isChecked(),
        customerReplied: await replied.isChecked(),
      };
      await assigned.setChecked(!before.ticketAssigned);
      await page.getByText('Saved.').waitFor();
      await page.screenshot({ path: `${shots}/email-notifications.png` });

      await page.reload();
      await assigned.waitFor();
      expect(await assigned.isChecked()).toBe(!before.ticketAssigned);
      expect(await replied.isChecked()).toBe(before.customerReplied);
      // An admin also has the weekly summary, which these toggles leave as it was (on by default).
      expect(await call('GET', '/me/email-notifications')).toEqual({
        ticketAssigned: !before.ticketAssigned,
        customerReplied: before.customerReplied,
        weeklySummary: true,
      });
      await replied.setChecked(!before.customerReplied);
      await expect
        .poll(() => call('GET', '/me/email-notifications'))
        .toEqual({
          ticketAssigned: !before.ticketAssigned,
          customerReplied: !before.customerReplied,
          weeklySummary: true,
        });
      expect(problems.unexpected()).toEqual([]);
    });
  });
