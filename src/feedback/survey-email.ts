import { escapeHtml } from '../search/search-highlight.ts';
import type { SurveyKind } from './survey-service.ts';

export type SurveyLink = { score: number; url: string };

const questions: Record<SurveyKind, (brand: string) => string> = {
  csat: () => 'How would you rate the support you received?',
  nps: (brand) => `How likely are you to recommend ${brand} to a friend or colleague?`,
  ces: () => 'How easy was it to get your issue handled?',
};

/** What each end of a scale means, shown beside the links. */
const ends: Record<SurveyKind, [string, string]> = {
  csat: ['Very unhappy', 'Very happy'],
  nps: ['Not at all likely', 'Extremely likely'],
  ces: ['Very difficult', 'Very easy'],
};

export const surveyQuestion = (kind: SurveyKind, brand: string) => questions[kind](brand);

const label = (kind: SurveyKind, score: number) =>
  kind === 'csat' ? `${score} ${'★'.repeat(score)}` : `${score}`;

/**
 * The survey email: the question, one link per score (a click answers, no sign-in) in the text and the
 * HTML parts alike, and how long the links last.
 */
export function surveyEmail(input: {
  kind: SurveyKind;
  brand: string;
  links: SurveyLink[];
  ttlHours: number;
  ticket?: { number: number; subject: string } | undefined;
}) {
  const { kind, brand, links, ticket } = input;
  const question = surveyQuestion(kind, brand);
  const intro = ticket
    ? `Your request "${ticket.subject}" (#${ticket.number}) was solved.`
    : `Hello from ${brand}.`;
  const [low, high] = ends[kind];
  const lifetime = `The links work once and expire in ${input.ttlHours} hours.`;
  const bodyText = [
    intro,
    `${question} One click answers (${links[0]?.score} = ${low}, ${links.at(-1)?.score} = ${high}):`,
    '',
    ...links.map((link) => `${label(kind, link.score)}: ${link.url}`),
    '',
    lifetime,
  ].join('\n');
  const buttons = links
    .map(
      (link) =>
        `<a href="${escapeHtml(link.url)}" style="display:inline-block;min-width:2em;margin:2px;padding:8px;border:1px solid #888;border-radius:4px;text-align:center;text-decoration:none">${escapeHtml(label(kind, link.score))}</a>`,
    )
    .join('');
  const bodyHtml = `<p>${escapeHtml(intro)}</p><p><strong>${escapeHtml(question)}</strong></p>
<p>${buttons}</p><p style="color:#666">${escapeHtml(`${links[0]?.score} = ${low}, ${links.at(-1)?.score} = ${high}. ${lifetime}`)}</p>`;
  const subject = ticket ? `${question} [#${ticket.number}]` : question;
  return { subject, bodyText, bodyHtml };
}
