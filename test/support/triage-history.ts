import { buildApp } from '../../src/app.ts';
import { createField } from '../../src/fields/field-service.ts';
import { startTriageJobs } from '../../src/intel/triage-jobs.ts';
import type { Actor } from '../../src/platform/auth/actor.ts';
import type { Database, Db } from '../../src/platform/db/database.ts';
import type { Deps } from '../../src/platform/deps.ts';
import { createInlineQueue, type InlineQueue } from '../../src/platform/queue/inline-queue.ts';
import { makeTicket } from './factories.ts';
import { testDeps } from './http.ts';

/** The app on an inline queue that runs triage training when a test calls `deps.queue.runDue()`. */
export async function triageTestApp(database: Database) {
  const base = testDeps(database);
  const deps: Deps & { queue: InlineQueue } = { ...base, queue: createInlineQueue(base.clock) };
  const app = await buildApp(deps);
  await app.ready();
  await startTriageJobs(deps);
  return { deps, app };
}

/** Twelve past tickets per category, as agents filed them: enough for triage to learn from. */
export const triageExamples: Record<string, string[]> = {
  billing: [
    'I was charged twice for my subscription this month',
    'Please refund the duplicate payment on my card',
    'My invoice shows the wrong amount',
    'Why was my credit card billed again?',
    'I need a copy of my last invoice for accounting',
    'The charge on my statement is higher than the price',
    'Cancel the recurring payment and refund me',
    'Payment failed but the money left my bank account',
    'Can I pay the invoice by bank transfer?',
    'You billed me after I cancelled my plan',
    'The refund for my order has not reached my card',
    'Update the billing address on my invoices',
  ],
  delivery: [
    'My parcel has not arrived yet',
    'The tracking number shows no movement for a week',
    'The courier left my package at the wrong address',
    'When will my order be delivered?',
    'The delivery was marked as delivered but I have nothing',
    'Can I change the shipping address for my order?',
    'My package arrived damaged and the box was crushed',
    'How long does shipping take to Canada?',
    'The driver never came to deliver my parcel',
    'Order shipped a week ago and still no delivery',
    'Tracking says the parcel is stuck at customs',
    'Can you ship my order with express delivery?',
  ],
  login: [
    'I cannot log in to my account',
    'The password reset email never arrives',
    'My account is locked after too many attempts',
    'Two factor code is not accepted when I sign in',
    'I forgot my password and need to reset it',
    'Login page says my email is unknown',
    'I get an error when I try to sign in',
    'How do I change the email I use to log in?',
    'My session keeps expiring and logs me out',
    'The sign in button does nothing on my phone',
    'I lost my phone and cannot get the login code',
    'Reset link says it has expired when I open it',
  ],
};

/** A "category" select field (with an extra unused option) and the labelled tickets above. */
export async function makeLabelledHistory(db: Db, actor: Actor): Promise<void> {
  await createField(db, actor, {
    entity: 'ticket',
    key: 'category',
    label: 'Category',
    type: 'select',
    options: [...Object.keys(triageExamples), 'account'],
  });
  for (const [category, texts] of Object.entries(triageExamples))
    for (const body of texts)
      await makeTicket(db, actor, { subject: body, message: { body }, customFields: { category } });
}
