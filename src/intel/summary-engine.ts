// Extractive summary of a ticket thread for hand-offs: the sentences that carry it, in thread order.
import {
  contentTerms,
  cosine,
  inverseFrequencies,
  type SparseVector,
  tfidfVector,
} from './similar-vectors.ts';

export type ThreadMessage = { id: string; kind: string; body: string };
export type SummaryReason = 'opening' | 'question' | 'commitment' | 'central' | 'latest';
export type SummarySentence = { messageId: string; kind: string; text: string; reasons: SummaryReason[] };
export type ThreadSummary = { sentences: SummarySentence[]; sentenceCount: number; long: boolean };

const COMMITMENT =
  /\b(?:i will|i'll|we will|we'll|i am going to|i'm going to|we are going to|i promise|you will receive|you'll receive|by (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|the end of))\b/i;

/** The author's own words: quoted history, "On … wrote:" blocks and signatures are cut off. */
export function ownText(body: string): string {
  const lines: string[] = [];
  for (const line of body.replace(/\r/g, '').split('\n')) {
    if (/^\s*>/.test(line)) continue;
    if (
      /^On .{4,200}wrote:\s*$/.test(line.trim()) ||
      line === '-- ' ||
      /^-{2,}\s*Original Message/i.test(line)
    )
      break;
    lines.push(line);
  }
  return lines.join('\n');
}

function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.split(/\s+/).length >= 3);
}

type Candidate = SummarySentence & { index: number; vector: SparseVector; score: number };

/**
 * Picks about a fifth of the thread's sentences (4 to 7) by TF-IDF centrality, position (the opening,
 * each message's first sentence, the latest message), customer questions and agent commitments.
 */
export function summarizeThread(messages: readonly ThreadMessage[], maxSentences?: number): ThreadSummary {
  const raw: Omit<Candidate, 'vector' | 'score'>[] = [];
  const firstOfMessage = new Set<number>();
  const lastMessageId = messages.at(-1)?.id;
  for (const message of messages) {
    const parts = splitSentences(ownText(message.body));
    if (parts.length) firstOfMessage.add(raw.length);
    for (const text of parts)
      raw.push({ messageId: message.id, kind: message.kind, text, reasons: [], index: raw.length });
  }
  const terms = raw.map((s) => contentTerms(s.text));
  const idf = inverseFrequencies(terms);
  const candidates: Candidate[] = raw.map((s, i) => ({
    ...s,
    vector: tfidfVector(terms[i]!, idf),
    score: 0,
  }));
  const centroid: SparseVector = new Map();
  for (const c of candidates)
    for (const [term, w] of c.vector) centroid.set(term, (centroid.get(term) ?? 0) + w);
  let norm = 0;
  for (const w of centroid.values()) norm += w * w;
  norm = Math.sqrt(norm) || 1;

  for (const c of candidates) {
    const central = cosine(c.vector, centroid) / norm;
    c.score = central;
    if (central >= 0.3) c.reasons.push('central');
    if (c.index === 0) {
      c.score += 0.35;
      c.reasons.push('opening');
    } else if (firstOfMessage.has(c.index)) c.score += 0.1;
    if (c.kind === 'customer_message' && c.text.endsWith('?')) {
      c.score += 0.25;
      c.reasons.push('question');
    }
    if (c.kind !== 'customer_message' && COMMITMENT.test(c.text)) {
      c.score += 0.3;
      c.reasons.push('commitment');
    }
    if (c.messageId === lastMessageId && messages.length > 1) {
      c.score += 0.15;
      c.reasons.push('latest');
    }
    if (terms[c.index]!.length < 3) c.score *= 0.5;
  }
  const k = maxSentences ?? Math.min(7, Math.max(4, Math.round(candidates.length / 5)));
  const chosen = [...candidates]
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, k)
    .sort((a, b) => a.index - b.index);
  return {
    sentences: chosen.map(({ messageId, kind, text, reasons }) => ({ messageId, kind, text, reasons })),
    sentenceCount: candidates.length,
    long: messages.length >= 4 || candidates.length >= 10,
  };
}
