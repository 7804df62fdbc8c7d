import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.ts';
import { browserAvailable, launchBrowser, watchConsole } from '../support/browser.ts';
import { sharedDatabase } from '../support/databases.ts';
import { makeWorkspace, TEST_PASSWORD } from '../support/factories.ts';
import { serveHostPage } from '../support/host-page.ts';
import { type LiveApp, startLiveApp } from '../support/live-app.ts';

const shots = 'test-results/screenshots';

/** A customer's site on another origin, with CSS that would wreck a widget not in a shadow root. */
function hostPage(widgetUrl: string, workspace: string): Promise<{ server: Server; url: string }> {
  const html = `<!doctype html><html><head><title>Kettle Shop</title>
    <style>* { color: red !important; font-size: 40px !important; } button { display: none !important; }</style>
    </head><body><h1>Kettle Shop</h1>
    <script src="${widgetUrl}" data-workspace="${workspace}" async></script></body></html>`;
  return serveHostPage(html, '/products/blue-kettle');
}

describe.runIf(browserAvailable())('live chat in Chromium: widget on a site, agent in the console', () => {
  let database: Database;
  let live: LiveApp;
  let browser: Browser;
  let host: { server: Server; url: string };
  let admin: { email: string };

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    database = await sharedDatabase('pglite');
    const world = await makeWorkspace(database.db);
    admin = world.admin;
    live = await startLiveApp(database, world.workspace.id);
    // The console runs on localhost, the shop on 127.0.0.1: two origins, as on the real web.
    host = await hostPage(`${live.url}/widget.js`, world.workspace.slug);
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await live?.close();
    host?.server.close();
  });

  /** The admin signed in to the console, looking at all open tickets. */
  async function signedInAgent() {
    const agentContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const agent = await agentContext.newPage();
    const agentProblems = watchConsole(agent);
    await agent.goto(live.url);
    await agent.getByLabel('Email').fill(admin.email);
    await agent.getByLabel('Password').fill(TEST_PASSWORD);
    await agent.getByRole('button', { name: 'Sign in' }).click();
    await agent.getByRole('link', { name: /^All open/ }).click();
    await agent.getByRole('heading', { name: 'All open' }).waitFor();
    return { agentContext, agent, agentProblems };
  }

  it('chats both ways, through a reconnect and a page reload', async () => {
    const { agentContext, agent, agentProblems } = await signedInAgent();

    const visitorContext = await browser.newContext({ viewport: { width: 390, height: 740 } });
    const visitor = await visitorContext.newPage();
    const visitorProblems = watchConsole(visitor);
    await visitor.goto(host.url);
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    const widget = visitor.getByRole('dialog');
    await widget.getByRole('textbox', { name: 'Message' }).fill('Is the blue kettle in stock?');
    await widget.getByRole('button', { name: 'Send' }).click();
    await widget.locator('.msg.visitor:not(.pending)', { hasText: 'Is the blue kettle in stock?' }).waitFor();
    // The host page's CSS did not reach into the widget.
    const color = await widget
      .locator('.msg.visitor')
      .first()
      .evaluate((node) => getComputedStyle(node).color);
    expect(color).toBe('rgb(255, 255, 255)');
    await visitor.screenshot({ path: `${shots}/chat-widget.png` });

    // The chat arrives live in the agent's inbox.
    await agent.locator('[data-ticket-id]', { hasText: 'Is the blue kettle in stock?' }).first().waitFor();
    await agent
      .locator('[data-ticket-id] .subject-link', { hasText: 'Is the blue kettle in stock?' })
      .click();
    const panel = agent.getByRole('region', { name: 'Live chat' });
    await panel.getByText('Visitor online').waitFor();
    await panel.getByRole('link', { name: 'Kettle Shop' }).waitFor();

    await agent.getByRole('button', { name: /^Reply/ }).click();
    await agent.locator('#composer-body').fill('Yes, three left.');
    await widget.getByText('Agent is typing…').waitFor();
    await agent.getByRole('button', { name: /^Send/ }).first().click();
    await widget.locator('.msg.agent', { hasText: 'Yes, three left.' }).waitFor();
    await agent.screenshot({ path: `${shots}/chat-agent.png` });

    // The visitor's network drops: the agent writes, the visitor writes, then the network returns.
    await visitorContext.setOffline(true);
    await visitor.evaluate(() =>
      (window as unknown as { RapportChat: { reconnect(): void } }).RapportChat.reconnect(),
    );
    await widget.getByText('Reconnecting…').waitFor();
    await agent.locator('#composer-body').fill('It ships today.');
    await agent.getByRole('button', { name: /^Send/ }).first().click();
    await agent.getByText('It ships today.').first().waitFor();
    await widget.getByRole('textbox', { name: 'Message' }).fill('Great, I will order now');
    await widget.getByRole('button', { name: 'Send' }).click();
    await visitorContext.setOffline(false);
    await widget.locator('.msg.agent', { hasText: 'It ships today.' }).waitFor({ timeout: 30_000 });
    await widget.locator('.msg.visitor:not(.pending)', { hasText: 'Great, I will order now' }).waitFor();
    await agent.getByText('Great, I will order now').first().waitFor();

    // History survives a reload, each message once.
    await visitor.reload();
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    await widget.locator('.msg.agent', { hasText: 'It ships today.' }).waitFor();
    const texts = await widget.locator('.msg').allTextContents();
    expect(texts).toEqual([
      'Is the blue kettle in stock?',
      'Yes, three left.',
      'It ships today.',
      'Great, I will order now',
    ]);
    // Counted in the timeline: the Assist panel's summary quotes the thread as well.
    expect(await agent.locator('.message-text', { hasText: 'Great, I will order now' }).count()).toBe(1);

    visitorProblems.expect(/ERR_INTERNET_DISCONNECTED|WebSocket/);
    expect(visitorProblems.unexpected()).toEqual([]);
    expect(agentProblems.unexpected()).toEqual([]);
    await visitorContext.close();
    await agentContext.close();
  }, 120_000);

  it('sends files both ways, chimes unless muted, and ends when the agent solves the chat', async () => {
    const { agentContext, agent, agentProblems } = await signedInAgent();

    const visitorContext = await browser.newContext({ viewport: { width: 1024, height: 740 } });
    // Counts the widget's chimes: each is one oscillator started.
    await visitorContext.addInitScript(() => {
      const counter = window as unknown as { chimes: number };
      counter.chimes = 0;
      const Real = window.AudioContext;
      window.AudioContext = class extends Real {
        override createOscillator() {
          const tone = super.createOscillator();
          const start = tone.start.bind(tone);
          tone.start = (when?: number) => {
            counter.chimes += 1;
            start(when);
          };
          return tone;
        }
      };
    });
    const visitor = await visitorContext.newPage();
    const visitorProblems = watchConsole(visitor);
    const chimes = () => visitor.evaluate(() => (window as unknown as { chimes: number }).chimes);
    await visitor.goto(host.url);
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    const widget = visitor.getByRole('dialog');
    await widget.locator('input[type=file]').setInputFiles({
      name: 'receipt.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Order 1234, paid'),
    });
    const sentFile = widget.locator('.msg.visitor:not(.pending)').getByRole('link', { name: /receipt\.txt/ });
    await sentFile.waitFor();
    const visitorLink = await sentFile.getAttribute('href');
    const opened = await visitorContext.request.get(`${live.url}${visitorLink}`);
    expect(opened.headers()['x-content-type-options']).toBe('nosniff');
    expect(await opened.text()).toBe('Order 1234, paid');

    // The file is the chat ticket's first message; the agent opens it from the timeline.
    await agent.locator('[data-ticket-id] .subject-link', { hasText: 'receipt.txt' }).first().click();
    await agent.getByRole('region', { name: 'Live chat' }).getByText('Visitor online').waitFor();
    await agent.getByRole('link', { name: 'receipt.txt' }).waitFor();

    // The agent answers with a file while the widget is closed: badge and chime.
    await visitor.getByRole('button', { name: 'Close chat' }).first().click();
    await agent.getByRole('button', { name: /^Reply/ }).click();
    await agent.locator('#composer-body').fill('Here is your invoice.');
    await agent.getByLabel('Attach files').setInputFiles({
      name: 'invoice.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Invoice 1234'),
    });
    await agent.getByRole('list', { name: 'Attachments' }).getByText('invoice.txt').waitFor();
    await agent.getByRole('button', { name: /^Send/ }).first().click();
    const badge = visitor.locator('#rapport-chat .badge');
    await badge.filter({ hasText: '1' }).waitFor();
    expect(await chimes()).toBe(1);
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    const invoice = widget.locator('.msg.agent').getByRole('link', { name: /invoice\.txt/ });
    await invoice.waitFor();
    const invoiceUrl = `${live.url}${await invoice.getAttribute('href')}`;
    expect(await (await visitorContext.request.get(invoiceUrl)).text()).toBe('Invoice 1234');

    // Muted, the next answer still shows on the badge but makes no sound. It also solves the chat.
    await widget.getByRole('button', { name: 'Mute sound' }).click();
    await widget.getByRole('button', { name: 'Turn sound on' }).waitFor();
    await widget.getByRole('button', { name: 'Close chat' }).click();
    await agent.locator('#composer-body').fill('Anything else? I will mark this solved.');
    await agent.getByLabel('Status after sending').selectOption('solved');
    await agent.getByRole('button', { name: /^Send/ }).first().click();
    await badge.filter({ hasText: '1' }).waitFor();
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    await widget.getByText('This conversation has ended.', { exact: false }).waitFor();
    expect(await chimes()).toBe(1);

    // Writing again opens a new chat ticket; the solved one stays.
    await widget.getByRole('textbox', { name: 'Message' }).fill('One more question about delivery');
    await widget.getByRole('button', { name: 'Send' }).click();
    await widget
      .locator('.msg.visitor:not(.pending)', { hasText: 'One more question about delivery' })
      .waitFor();
    await agent.getByRole('link', { name: /^All open/ }).click();
    await agent
      .locator('[data-ticket-id]', { hasText: 'One more question about delivery' })
      .first()
      .waitFor();

    // While that chat is open, the visitor may still choose to start another.
    await widget.getByRole('button', { name: 'New conversation' }).click();
    await widget.getByRole('textbox', { name: 'Message' }).fill('A separate question about returns');
    await widget.getByRole('button', { name: 'Send' }).click();
    await widget
      .locator('.msg.visitor:not(.pending)', { hasText: 'A separate question about returns' })
      .waitFor();
    await agent
      .locator('[data-ticket-id]', { hasText: 'A separate question about returns' })
      .first()
      .waitFor();
    const delivery = agent.locator('[data-ticket-id]', { hasText: 'One more question about delivery' });
    expect(await delivery.count()).toBe(1);

    expect(visitorProblems.unexpected()).toEqual([]);
    expect(agentProblems.unexpected()).toEqual([]);
    await visitorContext.close();
    await agentContext.close();
  }, 120_000);
});
