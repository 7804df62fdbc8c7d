import { escapeHtml } from '../search/search-highlight.ts';
import type { AnswerOutcome, CommentOutcome, SurveyKind } from './survey-service.ts';
import { COMMENT_MAX } from './survey-service.ts';

/** A public page: HTML status, title and body. */
export type SurveyPage = { status: number; html: string };

/** A small public page (surveys, opt-out links): its title as heading, `body` already escaped HTML. */
export const page = (status: number, title: string, body: string): SurveyPage => ({
  status,
  html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}
textarea{width:100%;min-height:8rem}button{margin-top:.5rem;padding:.5rem 1rem}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`,
});

const paragraph = (text: string) => `<p>${escapeHtml(text)}</p>`;

const followUps: Record<SurveyKind, string> = {
  csat: 'Anything you would like to add? (optional)',
  nps: 'What is the main reason for your score? (optional)',
  ces: 'What made it easy or hard? (optional)',
};

const commentForm = (token: string, kind: SurveyKind) => {
  const action = `/feedback/survey/comment?t=${encodeURIComponent(token)}`;
  return `<form method="post" action="${escapeHtml(action)}">
<label for="comment">${escapeHtml(followUps[kind])}</label>
<textarea id="comment" name="comment" maxlength="${COMMENT_MAX}"></textarea><button type="submit">Send</button></form>`;
};

const invalidPage = () =>
  page(
    404,
    'Survey link not valid',
    paragraph('This link is not valid. Please use the link from your email.'),
  );
const expiredPage = () =>
  page(410, 'This survey has expired', paragraph('The link is no longer valid, so nothing was recorded.'));

/** The page after a score link is clicked. */
export function answerPage(outcome: AnswerOutcome, token: string): SurveyPage {
  switch (outcome.status) {
    case 'recorded':
      return page(
        200,
        'Thank you for your answer',
        paragraph(`You rated us ${outcome.score}.`) + commentForm(token, outcome.kind),
      );
    case 'already_answered':
      return page(
        409,
        'Already answered',
        paragraph(
          `This survey was answered already (${outcome.score}); the first answer counts. Thank you!`,
        ) + (outcome.canComment ? commentForm(token, outcome.kind) : ''),
      );
    case 'expired':
      return expiredPage();
    case 'invalid':
      return invalidPage();
  }
}

/** The page after the comment form is sent. */
export function commentPage(outcome: CommentOutcome): SurveyPage {
  switch (outcome.status) {
    case 'recorded':
      return page(200, 'Thank you', paragraph('Your answer reached the team.'));
    case 'already_commented':
      return page(409, 'Already sent', paragraph('A comment was sent for this answer already. Thank you!'));
    case 'expired':
      return page(410, 'Too late to comment', paragraph('Comments are taken for a day after the answer.'));
    case 'invalid':
      return invalidPage();
  }
}
