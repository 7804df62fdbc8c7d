// A scenario drafted from a real solved ticket: the customer's words with personal data removed, the
// agent's questions as hidden facts, the final reply as the model answer. An admin reviews it before saving.
import { upsetSignals } from '../intel/coach-engine.ts';
import { defaultCoachRules } from '../intel/coach-rules.ts';
import { tokenize } from '../intel/text-tokens.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { invalidState } from '../platform/errors.ts';
import { getTicket, listMessages } from '../tickets/ticket-queries.ts';
import { type ScenarioInput, scenarioSchema } from './scenario-schema.ts';
import { requireLead } from './scenario-service.ts';

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const URL = /\bhttps?:\/\/\S+?(?=[.,;:!?)]*(?:\s|$))/gi;
// Order, invoice or tracking references: "#48213", "order 48213", "AB-123456", long digit runs.
const ORDER =
  /#\s?\d{3,}\b|\b(?:order|invoice|ref(?:erence)?|tracking|case|account)(?:\s+(?:no\.?|number|#))?\s*:?\s*[A-Z0-9-]*\d[A-Z0-9-]{2,}\b|\b[A-Z]{2,4}-?\d{4,}\b/gi;
const PHONE = /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]\d{2,4}){1,4}\b/g;
const CARD = /\b(?:\d[ -]?){13,19}\b/g;
// "Hi Sam," / "Dear Ms Jones" / "Thanks,\nJordan" — names stand next to greetings and sign-offs.
const GREETED = /\b(Hi|Hello|Hey|Dear)\s+(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?[A-Z][\p{L}'-]+(?:\s+[A-Z][\p{L}'-]+)?/gu;
const SIGNED =
  /\b(Thanks|Thank you|Regards|Best|Cheers|Sincerely|Kind regards|Best regards)(,?\s*\n+\s*)[A-Z][\p{L}'-]+(?:\s+[A-Z][\p{L}'-]+)?/gu;

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Removes e-mail addresses, phone and card numbers, order references, URLs and the given names. */
export function redact(text: string, names: string[] = []): { text: string; redactions: number } {
  let out = text;
  let redactions = 0;
  // `by` returning null keeps the match: a short digit run is no phone number.
  const swap = (pattern: RegExp, by: string | ((...m: string[]) => string | null)) => {
    out = out.replace(pattern, (...m: string[]) => {
      const replacement = typeof by === 'string' ? by : by(...m);
      if (replacement === null) return m[0]!;
      redactions++;
      return replacement;
    });
  };
  swap(EMAIL, '[email]');
  swap(URL, '[link]');
  swap(ORDER, (match) =>
    /^(?:#|[A-Z]{2,4}-?\d)/i.test(match) ? '[order number]' : `${match.split(/[\s:#]/)[0]} [order number]`,
  );
  swap(CARD, '[card number]');
  swap(PHONE, (match) => (match.replace(/\D/g, '').length >= 7 ? '[phone]' : null));
  const parts = names.flatMap((n) => n.split(/\s+/)).filter((n) => n.length >= 2);
  for (const name of [...new Set(parts)].sort((a, b) => b.length - a.length))
    swap(new RegExp(`\\b${escapeRegex(name)}\\b`, 'gi'), '[name]');
  swap(GREETED, (m, greeting) => (m.endsWith('[name]') ? null : `${greeting} [name]`));
  swap(SIGNED, (_m, word, gap) => `${word}${gap}[name]`);
  out = out.replace(/\[name\](?:\s+\[name\])+/g, '[name]');
  return { text: out, redactions };
}

const STOP = new Set(
  'a an and are as at be by can could did do does for from have how i if in is it me my of on or our please so that the this to was we what when where which who why will with would you your [name] name order number email phone'.split(
    ' ',
  ),
);
const keywordsOf = (text: string, max = 4) =>
  [...new Set(tokenize(text).filter((w) => w.length >= 4 && !STOP.has(w) && !/\d/.test(w)))].slice(0, max);

const clip = (text: string, max = 600) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
};
const questionIn = (text: string) => text.split(/(?<=[.!?])\s+|\n+/).find((s) => s.trim().endsWith('?'));

/** A scenario definition drafted from a solved ticket (not saved); throws invalid_state for an unsolved one. */
export async function draftFromTicket(db: Db, actor: Actor, ticketId: string) {
  requireLead(actor);
  const ticket = await getTicket(db, actor, ticketId);
  if (ticket.status !== 'solved' && ticket.status !== 'closed')
    throw invalidState('Only solved tickets can become scenarios');
  const rows = await listMessages(db, actor, ticketId);
  const names = [
    ticket.customer.name,
    ...rows.map((r) => r.authorUserName ?? ''),
    ...rows.map((r) => r.authorCustomerName ?? ''),
  ];
  let redactions = 0;
  const clean = (text: string) => {
    const r = redact(text, names);
    redactions += r.redactions;
    return clip(r.text);
  };
  const thread = rows
    .filter((r) => r.message.kind !== 'internal_note')
    .map((r) => ({ customer: r.message.kind === 'customer_message', text: r.message.bodyText }));
  const opening = thread.find((m) => m.customer);
  if (!opening) throw invalidState('The ticket has no customer message');
  const facts: ScenarioInput['facts'] = [];
  thread.forEach((m, i) => {
    const next = thread[i + 1];
    const question = !m.customer ? questionIn(m.text) : undefined;
    if (!question || !next?.customer || facts.length >= 5) return;
    const keywords = keywordsOf(question);
    if (keywords.length === 0) return;
    const reply = clean(next.text);
    facts.push({
      id: `fact_${facts.length + 1}`,
      keywords,
      fact: reply.slice(0, 200),
      reply,
      ask: clean(question),
    });
  });
  const lastReply = [...thread].reverse().find((m) => !m.customer);
  const example = lastReply ? clean(lastReply.text) : 'I have fixed this for you today.';
  const upset = upsetSignals(opening.text, defaultCoachRules).length > 0;
  const solutionWords = keywordsOf(example.replace(/\b(?:sorry|thanks|thank|hello|regards)\b/gi, ''), 5);
  const draft: ScenarioInput = {
    key: `from-ticket-${ticket.number}`,
    title: clip(redact(ticket.subject, names).text, 120) || `Ticket ${ticket.number}`,
    category: ticket.tags[0] ?? 'general',
    difficulty: upset ? 'hard' : 'medium',
    persona: { name: 'Alex Example', mood: upset ? 3 : 5, patience: 2, style: upset ? 'angry' : 'chatty' },
    situation: clip(`A customer wrote about: ${redact(ticket.subject, names).text}`),
    opening: clean(opening.text),
    facts,
    solutions: [{ id: 'fix', keywords: solutionWords.length ? solutionWords : ['fixed'], needs: [] }],
    kb: [{ query: clip(redact(ticket.subject, names).text, 200) || 'help', claims: [] }],
    success: { facts: facts.map((f) => f.id), empathy: upset, minMood: 4, example },
  };
  return { definition: scenarioSchema.parse(draft), redactions };
}
