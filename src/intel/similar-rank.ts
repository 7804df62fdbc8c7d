// Re-ranks full-text candidates by TF-IDF cosine, and adapts a reused reply to the new customer.

import { contentTerms, cosine, inverseFrequencies, tfidfVector } from './similar-vectors.ts';
import { ownText } from './summary-engine.ts';

export type SimilarCandidate = { id: string; subject: string; customerTexts: string[] };

const documentOf = (subject: string, customerTexts: readonly string[]) =>
  // The subject says what the ticket is about in few words: count it twice.
  [subject, subject, ...customerTexts.map(ownText)].join('\n');

/** Terms to look candidates up by: the most frequent content words, longer ones first on ties. */
export function queryTerms(subject: string, customerTexts: readonly string[], max = 16): string[] {
  const counts = new Map<string, number>();
  for (const term of contentTerms(documentOf(subject, customerTexts)))
    if (/^\p{L}+$/u.test(term)) counts.set(term, (counts.get(term) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || b[0].length - a[0].length || a[0].localeCompare(b[0]))
    .slice(0, max)
    .map(([term]) => term);
}

/** Candidates by cosine similarity to the open ticket, best first, above a floor that drops noise. */
export function rankSimilar(
  open: { subject: string; customerTexts: readonly string[] },
  candidates: readonly SimilarCandidate[],
  floor = 0.08,
): { id: string; score: number }[] {
  const docs = [open, ...candidates].map((c) => contentTerms(documentOf(c.subject, c.customerTexts)));
  const idf = inverseFrequencies(docs);
  const query = tfidfVector(docs[0]!, idf);
  return candidates
    .map((c, i) => ({
      id: c.id,
      score: Math.round(cosine(query, tfidfVector(docs[i + 1]!, idf)) * 1000) / 1000,
    }))
    .filter((c) => c.score >= floor)
    .sort((a, b) => b.score - a.score);
}

const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? '';
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A solved ticket's reply as a draft for another customer: their first name in place of the old one. */
export function adaptReply(body: string, fromCustomer: string, toCustomer: string): string {
  const from = firstName(fromCustomer);
  const to = firstName(toCustomer);
  if (from.length < 2 || !to || from === to) return body;
  return body.replace(new RegExp(`(?<![\\p{L}])${escapeRegExp(from)}(?![\\p{L}])`, 'gu'), to);
}
