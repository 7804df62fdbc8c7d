// What the customer's answer to "Did this answer your question?" means, and what the bot says.

export type CustomerAnswer = 'yes' | 'no' | 'human' | 'other';

/** The widget's buttons send these texts, so a typed answer and a click read the same. */
export const ANSWER_YES = 'Yes, that answered my question';
export const ANSWER_NO = 'No, I still need help';

const HUMAN =
  /\b(human|person|agent|somebody|someone|operator|representative|real people|staff|support team)\b/;
const YES =
  /^(yes|yeah|yep|yup|y|ok|okay|sure|solved|perfect|great|thanks|thank you|thx|ty|it did|that did|that worked|it worked|that helped|it helped|that answered)\b/;
const NO = /^(no|nope|nah|n|not really|not helpful|it did not|it didn't|that didn't|didn't|doesn't)\b/;
const NEGATION = /\b(not|no|didn't|doesn't|don't|never)\b/;

/** Reads a short reply: yes, no, a request for a person, or something else (a new question). */
export function readAnswer(text: string): CustomerAnswer {
  const plain = text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}' ,]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!plain) return 'other';
  if (HUMAN.test(plain) && /\b(talk|speak|chat|want|need|get|connect|contact|real)\b/.test(plain))
    return 'human';
  if (plain.split(' ').length > 12) return 'other';
  if (NO.test(plain)) return 'no';
  if (YES.test(plain) && !NEGATION.test(plain)) return 'yes';
  return 'other';
}

export type OfferedArticle = { id: string; title: string; url: string; excerpt: string };

export function offerText(articles: OfferedArticle[]): string {
  const list = articles.map((a) => `• ${a.title}: ${a.url}`).join('\n');
  return `These articles may answer your question:\n${list}\n\nDid this answer your question? Reply "yes" or "no" (or "talk to a human").`;
}

export const SOLVED_TEXT = 'Glad that helped! Write again here any time.';
export const HANDOVER_TEXT = 'Thanks, I am passing you to a person on our team, who will reply here.';

/** The internal note agents see on handover: the question, what was offered, what the customer said. */
export function handoverNote(input: {
  question: string;
  articles: { title: string; url: string }[];
  confidence: number;
  reason: 'no' | 'human' | 'other' | 'silence';
  answer: string | null;
}): string {
  const reasons = {
    no: 'The customer said the articles did not answer the question.',
    human: 'The customer asked for a person.',
    other: 'The customer wrote again instead of confirming.',
    silence: 'The customer did not answer "Did this answer your question?".',
  };
  const offered = input.articles.map((a) => `- ${a.title} (${a.url})`).join('\n');
  return [
    `Answer bot handed over. ${reasons[input.reason]}`,
    `Question: ${input.question}`,
    `Articles offered (confidence ${input.confidence.toFixed(2)}):\n${offered}`,
    ...(input.answer ? [`Customer's answer: ${input.answer}`] : []),
  ].join('\n\n');
}
