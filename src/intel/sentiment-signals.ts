import vader from 'vader-sentiment';

export type SentimentLabel = 'negative' | 'neutral' | 'positive';
export const sentimentLabels: readonly SentimentLabel[] = ['negative', 'neutral', 'positive'];

export type SignalName =
  | 'shouting'
  | 'exclamations'
  | 'repeat_contact'
  | 'threat_to_leave'
  | 'escalation_threat'
  | 'urgency_words'
  | 'waiting_long';

/** Facts about the conversation around one message that the text alone cannot tell. */
export type MessageContext = {
  /** Customer messages on this ticket before this one with no agent reply in between. */
  unansweredBefore?: number;
  /** Other tickets the same customer opened recently. */
  recentTickets?: number;
};

export type MessageSentiment = {
  /** VADER compound score moved by the frustration signals, in [-1, 1]. */
  score: number;
  label: SentimentLabel;
  /** 0..1: how strongly the customer is frustrated. */
  frustration: number;
  /** 0..1: how strongly the message asks for speed. */
  urgency: number;
  signals: SignalName[];
};

const REPEAT = [
  /\b(second|third|fourth|fifth|2nd|3rd|4th|5th|\d+(st|nd|rd|th)|several|multiple|many|countless|numerous)\s+(time|times|emails?|messages?|attempts?|requests?|calls?|tickets?)\b/i,
  /\bhow many (more )?times\b/i,
  /\balready (told|asked|contacted|called|emailed|explained|sent|reported|wrote|written)\b/i,
  /\b(still|yet again|once again)\b.{0,40}\b(not|no|nothing|broken|waiting|wrong|haven'?t|hasn'?t|isn'?t|doesn'?t|didn'?t)\b/i,
  /\b(keep|kept) (asking|telling|getting|having|writing|calling)\b/i,
  /\b(no|never got an?|without an?y?) (one|response|reply|answer)\b/i,
  /\bagain\b.{0,20}[!?]/i,
];
const LEAVE = [
  /\b(cancel+(ing)?|close|closing|terminate|delete) (my|our|the) (account|subscription|membership|plan|contract|order)\b/i,
  // "Move to another plan" is a change of plan, not of supplier: the target must be someone else.
  /\b(switch(ing)?|mov(e|ing)|go(ing)?) to (a |an )?(competitor|(another|a different) (company|provider|supplier|service|bank|carrier|airline|vendor)|someone else)\b/i,
  /\btake (my|our) business elsewhere\b/i,
  /\bnever (use|buy|order|shop|fly|book|recommend)\w* (from |with )?(you|again|this)\b/i,
  /\b(done|finished) with (you|this company|your)\b/i,
  /\b(i'?m|we'?re|i am|we are) (leaving|out)\b/i,
];
const ESCALATE = [
  /\b(lawyer|attorney|legal action|lawsuit|sue|small claims|chargeback|charge back|dispute the charge)\b/i,
  /\b(better business bureau|bbb|ombudsman|trading standards|consumer protection|regulator)\b/i,
  /\b(speak|talk) to (a |your )?(manager|supervisor|someone in charge)\b/i,
  /\b(post|write|tell)\w* (about (this|it) )?(on|to) (twitter|facebook|social media|everyone|reddit|yelp)\b/i,
];
const URGENT = [
  /\b(urgent(ly)?|asap|a\.s\.a\.p|emergency|immediately|right (now|away)|critical|time[- ]sensitive)\b/i,
  /\bas soon as possible\b/i,
  /\b(by|before) (today|tonight|tomorrow|monday|tuesday|wednesday|thursday|friday|the end of (the )?day|eod|noon)\b/i,
  /\b(within|in) the (next )?(hour|few hours|\d+ (minutes|hours))\b/i,
  /\b(can'?t|cannot|unable to) (log ?in|sign ?in|access|pay|work|use)\b/i,
  /\b(down|outage|not working at all|completely broken|blocked|locked out)\b/i,
  /\bdeadline\b/i,
];
const WAITING =
  /\b(waiting|waited|been) (for )?(over |more than |almost )?(a|an|\d+|two|three|four|five|several) (days?|weeks?|months?|hours?)\b/i;

const any = (patterns: readonly RegExp[], text: string) => patterns.some((p) => p.test(text));

/** Shouting: several all-caps words (3+ letters), or most letters of a longish message in capitals. */
export function isShouting(text: string): boolean {
  const words = text.match(/\b[\p{L}]{3,}\b/gu) ?? [];
  const caps = words.filter((w) => w === w.toUpperCase() && w !== w.toLowerCase());
  if (caps.length >= 3) return true;
  const letters = text.replace(/[^\p{L}]/gu, '');
  const upper = letters.replace(/[^\p{Lu}]/gu, '');
  return letters.length >= 20 && upper.length / letters.length > 0.6;
}

export function labelOf(score: number): SentimentLabel {
  if (score >= 0.05) return 'positive';
  if (score <= -0.05) return 'negative';
  return 'neutral';
}

const clamp = (value: number, low = 0, high = 1) => Math.min(high, Math.max(low, value));

/**
 * Sentiment, frustration and urgency of one customer message: VADER's compound score (negation,
 * intensifiers, capitals, punctuation) plus support-specific signals VADER does not know about.
 */
export function analyzeMessage(text: string, context: MessageContext = {}): MessageSentiment {
  const compound = vader.SentimentIntensityAnalyzer.polarity_scores(text).compound;
  const signals: SignalName[] = [];
  if (isShouting(text)) signals.push('shouting');
  if (/!{2,}|\?!|!\?|(![^!]*){3,}/.test(text)) signals.push('exclamations');
  if (any(REPEAT, text) || (context.unansweredBefore ?? 0) >= 2 || (context.recentTickets ?? 0) >= 2)
    signals.push('repeat_contact');
  if (any(LEAVE, text)) signals.push('threat_to_leave');
  if (any(ESCALATE, text)) signals.push('escalation_threat');
  if (any(URGENT, text)) signals.push('urgency_words');
  if (WAITING.test(text)) signals.push('waiting_long');
  const has = (name: SignalName) => (signals.includes(name) ? 1 : 0);
  const frustration = clamp(
    0.35 * has('repeat_contact') +
      0.35 * has('threat_to_leave') +
      0.3 * has('escalation_threat') +
      0.2 * has('shouting') +
      0.1 * has('exclamations') +
      0.2 * has('waiting_long') +
      0.4 * Math.max(0, -compound),
  );
  const urgency = clamp(
    0.55 * has('urgency_words') +
      0.2 * has('escalation_threat') +
      0.15 * has('shouting') +
      0.1 * has('exclamations') +
      0.15 * has('waiting_long') +
      0.1 * has('repeat_contact'),
  );
  // Complaints are often worded politely ("third time I've asked, thanks"): the signals pull the
  // score down where the lexicon alone sees no negativity.
  // An urgent problem is never good news, whatever words it uses.
  const pull =
    0.3 * (has('repeat_contact') + has('threat_to_leave') + has('escalation_threat') + has('waiting_long')) +
    (has('urgency_words') ? Math.max(0.15, compound + 0.05) : 0);
  const score = clamp(compound - pull, -1, 1);
  const two = (value: number) => Math.round(value * 100) / 100;
  return {
    score: Number(score.toFixed(4)),
    label: labelOf(score),
    frustration: two(frustration),
    urgency: two(urgency),
    signals,
  };
}
