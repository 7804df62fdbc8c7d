import { eq } from 'drizzle-orm';
import { normaliseIdentity } from '../customers/identities.ts';
import { workspaces } from '../db/schema/index.ts';
import type { Db } from '../platform/db/database.ts';
import { escapeHtml } from '../search/search-highlight.ts';
import { customerIdByEmail, insertFeedbackItem } from './feedback-items.ts';
import type { SurveyPage } from './survey-pages.ts';

export const FORM_BODY_MAX = 4000;

export type FormInput = {
  body: string;
  email?: string | undefined;
  rating?: number | undefined;
  website?: string | undefined;
};
export type FormOutcome = { status: 'recorded' | 'unknown_workspace' | 'empty' | 'ignored' };

const workspaceBySlug = async (db: Db, slug: string) =>
  (
    await db
      .select({ id: workspaces.id, name: workspaces.name })
      .from(workspaces)
      .where(eq(workspaces.slug, slug))
  )[0];

/**
 * Takes feedback from the public form as a feedback item (source `form`), linked to the customer when
 * the email is known. A filled honeypot field is dropped without a word, so bots learn nothing.
 */
export async function submitFeedbackForm(
  db: Db,
  slug: string,
  input: FormInput,
  now: Date,
): Promise<FormOutcome> {
  const workspace = await workspaceBySlug(db, slug);
  if (!workspace) return { status: 'unknown_workspace' };
  if (input.website) return { status: 'ignored' };
  const body = input.body.trim().slice(0, FORM_BODY_MAX);
  if (!body) return { status: 'empty' };
  const email = input.email?.trim() ? normaliseIdentity('email', input.email) : null;
  await db.transaction(async (tx) => {
    const customerId = await customerIdByEmail(tx, workspace.id, email);
    await insertFeedbackItem(tx, {
      workspaceId: workspace.id,
      source: 'form',
      body,
      rating: input.rating ?? null,
      email,
      customerId,
      occurredAt: now,
    });
  });
  return { status: 'recorded' };
}

const shell = (status: number, title: string, body: string): SurveyPage => ({
  status,
  html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}
textarea,input,select{width:100%;margin-bottom:.75rem}textarea{min-height:8rem}.hp{position:absolute;left:-9999px}button{padding:.5rem 1rem}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`,
});

/** The public form page of a workspace, or a 404 page. */
export async function formPage(db: Db, slug: string): Promise<SurveyPage> {
  const workspace = await workspaceBySlug(db, slug);
  if (!workspace) return shell(404, 'Not found', '<p>There is no feedback form here.</p>');
  const options = ['', '1', '2', '3', '4', '5']
    .map((v) => `<option value="${v}">${v ? `${v} ${'★'.repeat(Number(v))}` : '—'}</option>`)
    .join('');
  return shell(
    200,
    `Feedback for ${workspace.name}`,
    `<form method="post" action="/feedback/form/${escapeHtml(encodeURIComponent(slug))}">
<label for="body">Your feedback</label><textarea id="body" name="body" required maxlength="${FORM_BODY_MAX}"></textarea>
<label for="rating">Rating (optional)</label><select id="rating" name="rating">${options}</select>
<label for="email">Email (optional, to link it to your requests)</label><input id="email" name="email" type="email" maxlength="320">
<div class="hp" aria-hidden="true"><label for="website">Website</label><input id="website" name="website" tabindex="-1" autocomplete="off"></div>
<button type="submit">Send feedback</button></form>`,
  );
}

/** The page after sending. */
export function formResultPage(outcome: FormOutcome): SurveyPage {
  switch (outcome.status) {
    case 'recorded':
    case 'ignored':
      return shell(200, 'Thank you', '<p>Your feedback reached the team.</p>');
    case 'empty':
      return shell(400, 'Nothing to send', '<p>Please write your feedback first.</p>');
    case 'unknown_workspace':
      return shell(404, 'Not found', '<p>There is no feedback form here.</p>');
  }
}
