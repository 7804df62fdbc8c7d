import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.ts';
import { addMessage } from '../../src/tickets/message-service.ts';
import { updateTicket } from '../../src/tickets/ticket-service.ts';
import { activeRubrics, submitReview } from '../../src/training/qa-service.ts';
import { browserAvailable, launchBrowser, signInToConsole, watchConsole } from '../support/browser.ts';
import { sharedDatabase } from '../support/databases.ts';
import { makeTicket, makeUser, makeWorkspace, TEST_PASSWORD } from '../support/factories.ts';
import { type LiveApp, startLiveApp } from '../support/live-app.ts';

const shots = 'test-results/screenshots';

describe.runIf(browserAvailable())('role-play training in Chromium', () => {
  let database: Database;
  let live: LiveApp;
  let browser: Browser;
  type Member = Awaited<ReturnType<typeof makeUser>>;
  let agent: Member;
  let admin: Member;
  let reviewer: Member;
  let solved: { id: string; number: number; subject: string };

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    database = await sharedDatabase('pglite');
    const world = await makeWorkspace(database.db);
    admin = world.admin;
    agent = await makeUser(database.db, world.workspace.id, 'agent');
    reviewer = await makeUser(database.db, world.workspace.id, 'agent');
    await makeTicket(database.db, world.admin.actor);
    // A solved ticket of the agent's that another reviewer already scored harshly on empathy.
    solved = await makeTicket(database.db, admin.actor, {
      subject: 'Broken teapot on arrival',
      message: { body: 'My teapot arrived broken. This is unacceptable!' },
      assigneeId: agent.id,
    });
    await addMessage(database.db, agent.actor, solved.id, {
      kind: 'public_reply',
      body: "I'm sorry it arrived broken. I will send a new one today; it arrives within 2 business days.",
    });
    await updateTicket(database.db, agent.actor, solved.id, { status: 'solved' });
    const [rubric] = await activeRubrics(database.db, world.workspace.id);
    await submitReview(database.db, reviewer.actor, {
      ticketId: solved.id,
      rubricId: rubric!.id,
      scores: { empathy: 0, clarity: 4, next_step: 4, no_blame: 2, speed: 4, resolution: 4 },
      comment: 'Did not acknowledge the customer.',
    });
    live = await startLiveApp(database, world.workspace.id);
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await live?.close();
  });

  it('plays a scenario in the composer, with the coach, through to a passing scorecard', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchConsole(page);
    await signInToConsole(page, live.url, agent.email, TEST_PASSWORD);
    await page.getByRole('link', { name: 'Training' }).click();
    await page.getByRole('button', { name: 'Start Where is my parcel?' }).click();
    const transcript = page.getByRole('list', { name: 'Where is my parcel?' });
    await transcript.getByText("Hi, my order still hasn't arrived").waitFor();

    const composer = page.locator('#composer-body');
    await composer.fill('Could you send me your order number?');
    // The same reply coach as on tickets: the customer is upset about a birthday present.
    const coach = page.getByRole('region', { name: 'Reply coach' });
    await coach.getByText(/Reply score/).waitFor();
    await page.getByRole('button', { name: 'Send' }).click();
    await transcript.getByText('It is order 48213.').waitFor();
    await composer.fill("I'm so sorry it's late. When do you need it by?");
    await composer.press('Control+Enter');
    await transcript.getByText('The birthday is this Saturday.').waitFor();
    await composer.fill("I've sent a replacement by express today; it arrives within 2 business days.");
    await page.getByRole('button', { name: 'Send' }).click();

    const card = page.getByRole('region', { name: 'Scorecard' });
    await card.getByText(/^Passed: The customer accepted the solution\./).waitFor();
    for (const name of [
      'Empathy',
      'Clarity',
      'Discovery',
      'Resolution',
      'Time to respond',
      'Knowledge-base consistency',
    ])
      await card.getByText(name, { exact: false }).first().waitFor();
    // Acknowledged only in the second reply: the card quotes the first and offers a better opening.
    await card
      .getByText(/^Better: I'm sorry for the trouble/)
      .first()
      .waitFor();
    // "2 business days" is what the scenario's shipping policy says.
    expect(await card.locator('[data-dimension="kbConsistency"] dt strong').textContent()).toBe('100');
    expect(await card.locator('[data-dimension="discovery"] dt strong').textContent()).toBe('100');
    await page.screenshot({ path: `${shots}/training-scorecard.png` });

    await page.getByRole('link', { name: 'Back to scenarios' }).click();
    await page.getByRole('link', { name: 'Where is my parcel?' }).waitFor();
    expect(problems.unexpected()).toEqual([]);
  });
  it('lets a lead assign a scenario with a due date, the agent play it, and the lead comment on the run', async () => {
    const lead = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const leadProblems = watchConsole(lead);
    await signInToConsole(lead, live.url, admin.email, TEST_PASSWORD);
    await lead.getByRole('link', { name: 'Training' }).click();
    const assign = lead.getByRole('region', { name: 'Assign a scenario' });
    await assign.getByLabel('Agent').selectOption({ label: agent.name });
    await assign.getByLabel('Scenario').selectOption({ label: 'Refund after the return window' });
    await assign.getByLabel('Due').fill('2031-03-14');
    await assign.getByLabel('Note', { exact: true }).fill('Practise saying no kindly.');
    await assign.getByRole('button', { name: 'Assign' }).click();
    await assign
      .getByRole('status')
      .getByText(`Assigned Refund after the return window to ${agent.name}.`)
      .waitFor();
    const row = assign
      .getByRole('table', { name: 'Assignments' })
      .getByRole('row')
      .filter({ hasText: agent.name });
    await row.getByText('Not done yet').waitFor();

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchConsole(page);
    await signInToConsole(page, live.url, agent.email, TEST_PASSWORD);
    await page.getByRole('link', { name: 'Training' }).click();
    const assigned = page.getByRole('list', { name: 'Assigned to you' });
    await assigned.getByText('Practise saying no kindly.').waitFor();
    expect(await assigned.textContent()).toContain(
      `due ${new Date('2031-03-14T23:59:59').toLocaleDateString('en-US')}`,
    );
    await assigned.getByRole('button', { name: 'Start Refund after the return window' }).click();
    await page.locator('#composer-body').fill('As per our policy, returns are accepted within 30 days only.');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('.practice-customer').nth(1).waitFor();
    await page.getByRole('button', { name: 'Finish and score' }).click();
    await page
      .getByRole('region', { name: 'Scorecard' })
      .getByText(/^Not passed:/)
      .waitFor();
    const runUrl = page.url();
    await page.screenshot({ path: `${shots}/training-assigned-run.png` });

    await lead.reload();
    await row.getByRole('link', { name: 'Done: see the run' }).click();
    await lead.getByRole('region', { name: 'Scorecard' }).waitFor();
    await lead.getByLabel('Comment on this run').fill('Start with an apology before the policy.');
    await lead.getByRole('button', { name: 'Add comment' }).click();
    await lead
      .getByRole('list', { name: 'Comments' })
      .getByText('Start with an apology before the policy.')
      .waitFor();
    expect(lead.url()).toBe(runUrl);
    await lead.screenshot({ path: `${shots}/training-comment.png` });
    // The lead reads one agent's score history.
    await lead.getByRole('link', { name: 'Back to scenarios' }).click();
    const runs = lead.getByRole('list', { name: 'Recent runs of the team' });
    await lead.getByLabel('Runs of', { exact: true }).selectOption({ label: reviewer.name });
    await lead.getByText('No sessions yet.').waitFor();
    await lead.getByLabel('Runs of', { exact: true }).selectOption({ label: agent.name });
    await runs.getByRole('link', { name: 'Refund after the return window' }).waitFor();

    await page.reload();
    const comments = page.getByRole('list', { name: 'Comments' });
    await comments.getByText('Start with an apology before the policy.').waitFor();
    expect(await comments.textContent()).toContain(admin.name);
    expect(problems.unexpected()).toEqual([]);
    expect(leadProblems.unexpected()).toEqual([]);
  });

  it('saves a QA review from the automatic suggestion and shows the disagreement in calibration', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchConsole(page);
    await signInToConsole(page, live.url, admin.email, TEST_PASSWORD);
    await page.getByRole('link', { name: 'Training' }).click();
    await page.getByRole('link', { name: 'QA reviews' }).click();
    await page.getByRole('button', { name: `Review #${solved.number}` }).click();
    const review = page.getByRole('region', { name: `Review of #${solved.number} ${solved.subject}` });
    await review.getByText(/^Starting from the automatic suggestion/).waitFor();
    const empathy = review.getByLabel('Acknowledged the customer');
    // The pre-score saw the apology.
    expect(await empathy.inputValue()).toBe('4');
    await review.getByLabel('Solved the problem').selectOption({ label: '3 of 4' });
    await review.getByLabel('Comment for the agent').fill('Warm and clear; confirm the fix next time.');
    await review.getByRole('button', { name: 'Save review' }).click();
    await review
      .getByRole('status')
      .getByText(/^Review saved: \d+(\.\d)? of 100\.$/)
      .waitFor();
    await review.getByText('2 reviewers disagree', { exact: false }).waitFor();

    await page.getByRole('link', { name: 'Calibration' }).click();
    await page.getByRole('status').getByText('0% agreement: 1 of 1 tickets with disagreement.').waitFor();
    const ticket = page.getByRole('region', { name: `#${solved.number} ${solved.subject}` });
    await ticket.getByText('Reviewers disagree').waitFor();
    const headers = await ticket.getByRole('columnheader').allTextContents();
    expect(headers).toEqual(['Criterion', reviewer.name, admin.name, 'Spread']);
    const row = ticket.locator('tr[data-criterion="empathy"]');
    expect(await row.getAttribute('class')).toBe('disagree');
    expect(await row.getByRole('cell').allTextContents()).toEqual(['0', '4', '4 of 4']);
    await page.screenshot({ path: `${shots}/qa-calibration.png` });

    // Team health sits beside it: the agent's one reply and their share of negative conversations.
    await page.getByRole('link', { name: 'Team health' }).click();
    const health = page.getByRole('table', { name: 'Team health' });
    const agentRow = health.getByRole('row').filter({ hasText: agent.name });
    await agentRow.getByRole('img', { name: `Replies per week of ${agent.name}` }).waitFor();
    expect(await agentRow.getByRole('cell').nth(3).textContent()).toBe('100% (1 of 1)');
    await page.screenshot({ path: `${shots}/team-health.png` });

    const own = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const ownProblems = watchConsole(own);
    await signInToConsole(own, live.url, agent.email, TEST_PASSWORD);
    await own.goto(`${live.url}/training/qa`);
    const mine = own.getByRole('list', { name: 'Reviews of your tickets' });
    await mine.getByText('Warm and clear; confirm the fix next time.').waitFor();
    await mine.getByText('Did not acknowledge the customer.').waitFor();
    expect(await mine.textContent()).toContain(admin.name);
    expect(problems.unexpected()).toEqual([]);
    expect(ownProblems.unexpected()).toEqual([]);
  });
});
