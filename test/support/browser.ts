import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, never a downloaded one; absent on a user's machine means the browser tests skip. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.REQUIRE_BROWSER === '1')
    throw new Error(`REQUIRE_BROWSER=1 but ${CHROMIUM} is missing (apt-get install chromium)`);
  console.log(
    `[rapport tests] ${CHROMIUM} not found: browser tests skip (apt-get install chromium to run them).`,
  );
  return false;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Collects console errors and page errors; browser tests fail on any they did not expect. */
export function watchConsole(page: Page) {
  const seen: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') seen.push(message.text());
  });
  page.on('pageerror', (error) => seen.push(`pageerror: ${error.message}`));
  return {
    /** Drops errors matching the pattern seen so far (a deliberate 401, say). */
    expect(pattern: RegExp) {
      for (let i = seen.length - 1; i >= 0; i--) if (pattern.test(seen[i]!)) seen.splice(i, 1);
    },
    unexpected: () => [...seen],
  };
}

/** Signs in on the console's start page and waits for the inbox, as an agent would. */
export async function signInToConsole(page: Page, url: string, email: string, password: string) {
  await page.goto(url);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('[data-ticket-id]').first().waitFor();
}
