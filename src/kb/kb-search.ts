import { type SQL, sql } from 'drizzle-orm';
import type { KbArticleStatus } from '../db/schema/index.ts';
import { type Db, queryRows } from '../platform/db/database.ts';
import { type KbSearchSource, listSynonyms, logSearch, normalizeQuery } from './kb-feedback-service.ts';
import { excerptOf } from './kb-markdown.ts';
import { bm25Score, type CorpusStats, hitsFor, type QueryTerm, rapportScore } from './kb-ranking.ts';
import { cached } from './kb-search-cache.ts';

export type KbSearchInput = {
  workspaceId: string;
  audience: 'public' | 'agents';
  query: string;
  language?: string | undefined;
  categoryId?: string | undefined;
  limit?: number | undefined;
  source: KbSearchSource;
  /** Default true; false for search-as-you-type keystrokes and evaluations. */
  log?: boolean | undefined;
  /** Default true: a last word still being typed matches as a prefix. */
  prefix?: boolean | undefined;
  /** The eval's baseline; everything else uses Rapport's ranking. */
  ranking?: 'rapport' | 'bm25' | undefined;
};

export type KbSearchHit = {
  id: string;
  slug: string;
  title: string;
  language: string;
  categoryId: string | null;
  internal: boolean;
  status: KbArticleStatus;
  excerpt: string;
  score: number;
  updatedAt: Date;
};

export type KbSearchResult = {
  hits: KbSearchHit[];
  searchId: string | null;
  /** Articles the reader can see: scores grow with its logarithm (the answer bot's confidence scales by it). */
  documents: number;
};

type Row = {
  id: string;
  slug: string;
  title: string;
  language: string;
  category_id: string | null;
  internal: boolean;
  status: KbArticleStatus;
  updated_at: Date | string;
  title_length: number;
  body_length: number;
  similarity: number;
  lexemes: Array<[string, number[] | null, string[] | null]> | null;
  fuzzy?: number;
};

const CANDIDATES = 100;
const CANDIDATE_POOL = 300;
// Typos are caught on the title's words: a misspelt word that matches nothing still finds "pasword" → "password".
const FUZZY_MIN_LENGTH = 4;
const FUZZY_WEIGHT = 0.9;
const SYNONYM_WEIGHT = 0.8;

export const wordsOf = (text: string) =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 32);

const textArray = (values: string[]) =>
  sql`ARRAY[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;
const quoteLexeme = (lexeme: string) => `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

// Stems never change (the 'english' configuration is fixed), and help-center queries reuse a small
// vocabulary: known words skip the round trip. Bounded, and dropped whole when full.
const STEM_CACHE_MAX = 20_000;
const stems = new Map<string, string[]>();

/** Stems each word with the English configuration; stop words come back empty. */
async function lexemesOf(db: Db, words: string[]): Promise<string[][]> {
  const unknown = [...new Set(words.filter((w) => !stems.has(w)))];
  if (unknown.length > 0) {
    const rows = await queryRows<{ ord: number; lexemes: string[] | null }>(
      db,
      sql`SELECT ord::int AS ord, tsvector_to_array(to_tsvector('english', w)) AS lexemes
          FROM unnest(${textArray(unknown)}) WITH ORDINALITY AS t(w, ord) ORDER BY ord`,
    );
    if (stems.size + unknown.length > STEM_CACHE_MAX) stems.clear();
    for (const row of rows) stems.set(unknown[row.ord - 1]!, row.lexemes ?? []);
  }
  return words.map((w) => stems.get(w) ?? []);
}

/** Query terms: the query's words, then synonyms of any word or phrase a synonym group lists. */
async function queryTerms(db: Db, input: KbSearchInput) {
  const words = wordsOf(input.query);
  const typing = input.prefix !== false && /[\p{L}\p{N}]$/u.test(input.query);
  const expansions: string[] = [];
  if (input.ranking !== 'bm25') {
    const text = ` ${words.join(' ')} `;
    const groups = await cached(input.workspaceId, 'synonyms', () => listSynonyms(db, input.workspaceId));
    for (const group of groups) {
      const normalized = group.terms.map((t) => wordsOf(t).join(' '));
      if (normalized.some((t) => t && text.includes(` ${t} `))) {
        expansions.push(...normalized.filter((t) => !text.includes(` ${t} `)));
      }
    }
  }
  const extra = expansions.flatMap(wordsOf);
  const lexemes = await lexemesOf(db, [...words, ...extra]);
  const terms: QueryTerm[] = [];
  const seen = new Set<string>();
  lexemes.forEach((list, i) => {
    const synonym = i >= words.length;
    const prefix = typing && i === words.length - 1 && input.ranking !== 'bm25';
    for (const lexeme of list) {
      const key = `${lexeme}${prefix ? '*' : ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      terms.push({ lexeme, prefix, weight: synonym ? SYNONYM_WEIGHT : 1, position: synonym ? -10 - i : i });
    }
  });
  return { words, terms, wordLexemes: lexemes.slice(0, words.length) };
}

function visibility(input: KbSearchInput): SQL {
  const parts: SQL[] = [sql`a.workspace_id = ${input.workspaceId}`];
  parts.push(
    input.audience === 'public'
      ? sql`a.status = 'published' AND NOT a.internal`
      : sql`a.status <> 'archived'`,
  );
  if (input.language) parts.push(sql`a.language = ${input.language}`);
  if (input.categoryId) {
    parts.push(
      sql`(a.category_id = ${input.categoryId} OR a.category_id IN (SELECT id FROM kb_categories WHERE parent_id = ${input.categoryId} AND workspace_id = ${input.workspaceId}))`,
    );
  }
  return sql.join(parts, sql` AND `);
}

function indexFacts(terms: QueryTerm[]): SQL {
  const exact = terms.filter((t) => !t.prefix).map((t) => t.lexeme);
  const prefixes = terms.filter((t) => t.prefix).map((t) => t.lexeme);
  const matches = sql.join(
    [
      ...(exact.length ? [sql`u.lexeme = ANY(${textArray(exact)})`] : []),
      ...prefixes.map((p) => sql`starts_with(u.lexeme, ${p})`),
      ...(exact.length + prefixes.length === 0 ? [sql`false`] : []),
    ],
    sql` OR `,
  );
  // One pass over the article's index gives its length (its lexeme count) and the query's hits.
  return sql`CROSS JOIN LATERAL (SELECT count(*)::int AS body_length,
      json_agg(json_build_array(u.lexeme, u.positions, u.weights)) FILTER (WHERE ${matches}) AS lexemes
    FROM unnest(a.search) u) ix`;
}

/**
 * The rows scoring needs, for the articles `chosen` selects (id and an order key `rank`). Everything
 * costly per article (its index's hits, title similarity) is read only for those, after the cut.
 */
function candidateRows(input: KbSearchInput, terms: QueryTerm[], chosen: SQL, extra = sql``): SQL {
  return sql`WITH chosen AS (${chosen})
    SELECT a.id, a.slug, a.title, a.language, a.category_id, a.internal, a.status, a.updated_at,
      length(a.title) AS title_length, ix.body_length, ix.lexemes,
      similarity(a.title, ${input.query}) AS similarity ${extra}
    FROM chosen JOIN kb_articles a ON a.id = chosen.id ${indexFacts(terms)}
    ORDER BY chosen.rank DESC, a.id`;
}

const tsqueryOf = (terms: QueryTerm[]) =>
  terms.map((t) => quoteLexeme(t.lexeme) + (t.prefix ? ':*' : '')).join(' | ');

/**
 * When even the rarest term matches more articles than CANDIDATE_POOL, ranking them all is the slow
 * part of a search: the candidates are then the articles holding it together with the next rarest
 * term. Returns undefined when there is no such second term.
 */
function narrowedTsquery(terms: QueryTerm[], dfs: number[]): string | undefined {
  const order = terms.map((_, i) => i).filter((i) => (dfs[i] ?? 0) > 0);
  order.sort((a, b) => dfs[a]! - dfs[b]!);
  if (order.length < 2 || dfs[order[0]!]! <= CANDIDATE_POOL) return undefined;
  return `(${tsqueryOf([terms[order[0]!]!])}) & (${tsqueryOf([terms[order[1]!]!])})`;
}

type SearchStats = CorpusStats & {
  /** Articles holding each lexeme: BM25's document frequencies without a count per query term. */
  lexemeDocs: Map<string, number>;
};

/**
 * Article count, average title and index lengths and every lexeme's document frequency of what the
 * reader can see, kept for a while: counting each query term's articles at search time reads most of
 * the table for a common word.
 */
function corpusStats(db: Db, input: KbSearchInput): Promise<SearchStats> {
  const key = `stats:${input.audience}:${input.language ?? ''}:${input.categoryId ?? ''}`;
  return cached(input.workspaceId, key, async () => {
    const [row] = await queryRows<{ n: number; avg_title: number | null; avg_body: number | null }>(
      db,
      sql`SELECT count(*)::int AS n, avg(length(a.title))::float8 AS avg_title, avg(length(a.search))::float8 AS avg_body
        FROM kb_articles a WHERE ${visibility(input)}`,
    );
    const lexemes = await queryRows<{ lexeme: string; n: number }>(
      db,
      sql`SELECT u.lexeme, count(*)::int AS n FROM kb_articles a, unnest(tsvector_to_array(a.search)) AS u(lexeme)
        WHERE ${visibility(input)} GROUP BY u.lexeme`,
    );
    return {
      documents: row?.n ?? 0,
      avgTitleLength: row?.avg_title ?? 1,
      avgBodyLength: row?.avg_body ?? 1,
      lexemeDocs: new Map(lexemes.map((l) => [l.lexeme, l.n])),
    };
  });
}

/** A prefix's frequency is the sum over the lexemes it starts (an upper bound: one article may hold several). */
function documentFrequency(stats: SearchStats, term: QueryTerm): number {
  if (!term.prefix) return stats.lexemeDocs.get(term.lexeme) ?? 0;
  let sum = 0;
  for (const [lexeme, n] of stats.lexemeDocs) if (lexeme.startsWith(term.lexeme)) sum += n;
  return Math.min(sum, stats.documents);
}

/**
 * The terms whose articles become candidates: the rarest first, while their articles stay within
 * CANDIDATE_POOL (always at least one). `ts_rank` reads each matching article's whole index, so a
 * common word ("use", "make") matching half of a large help center would cost more than everything
 * else; those articles still score on every term once they are candidates.
 */
function candidateTerms(terms: QueryTerm[], dfs: number[]): QueryTerm[] {
  const order = terms.map((_, i) => i).filter((i) => (dfs[i] ?? 0) > 0);
  order.sort((a, b) => dfs[a]! - dfs[b]!);
  const chosen: QueryTerm[] = [];
  let pool = 0;
  for (const i of order) {
    if (chosen.length > 0 && pool + dfs[i]! > CANDIDATE_POOL) break;
    chosen.push(terms[i]!);
    pool += dfs[i]!;
  }
  return chosen;
}

/**
 * The one knowledge-base search: help center, console and answer bot. Full-text with the title weighted
 * over the body, a prefix for the word being typed, the workspace's synonyms and trigram typo fallback,
 * ranked by Rapport's BM25F-plus-title score. Logs the search unless `log: false`.
 */
export async function searchArticles(db: Db, input: KbSearchInput): Promise<KbSearchResult> {
  const limit = Math.min(Math.max(input.limit ?? 10, 1), 50);
  const { words, terms, wordLexemes } = await queryTerms(db, input);
  const stats = await corpusStats(db, input);
  const vis = visibility(input);
  const rows = new Map<string, Row>();
  const dfs = terms.map((t) => documentFrequency(stats, t));
  // The baseline scores every match; Rapport's ranking rescores the best candidates of the rarer terms.
  const pick = input.ranking === 'bm25' ? terms.filter((_, i) => dfs[i]! > 0) : candidateTerms(terms, dfs);
  const candidates = (tsquery: string, limit: number) =>
    queryRows<Row>(
      db,
      candidateRows(
        input,
        terms,
        sql`SELECT a.id, ts_rank('{0.1, 0.2, 0.4, 1.0}', a.search, ${tsquery}::tsquery, 1) AS rank
          FROM kb_articles a WHERE ${vis} AND a.search @@ ${tsquery}::tsquery
          ORDER BY rank DESC, a.id LIMIT ${limit}`,
      ),
    );
  if (pick.length > 0) {
    const narrowed = input.ranking === 'bm25' ? undefined : narrowedTsquery(terms, dfs);
    const first = narrowed ? await candidates(narrowed, CANDIDATES) : [];
    for (const row of first) rows.set(row.id, row);
    // Too few articles hold both: the wide query after all, so that a good one-term match is not lost.
    if (first.length < CANDIDATES / 2) {
      const wide = await candidates(tsqueryOf(pick), input.ranking === 'bm25' ? 100_000 : CANDIDATES);
      for (const row of wide) rows.set(row.id, row);
    }
  }
  // Words that match nothing, typos most likely, are looked up by trigram in titles.
  const unmatched =
    input.ranking === 'bm25'
      ? []
      : words.filter((w, i) => {
          const lexemes = wordLexemes[i] ?? [];
          const known = lexemes.some((l) => dfs[terms.findIndex((t) => t.lexeme === l)] !== 0);
          return (
            w.length >= FUZZY_MIN_LENGTH &&
            !/^\d+$/.test(w) &&
            (!known || lexemes.length === 0) &&
            lexemes.length > 0
          );
        });
  if (
    unmatched.length > 0 ||
    (rows.size === 0 && input.ranking !== 'bm25' && input.query.trim().length >= 3)
  ) {
    const probes = unmatched.length > 0 ? unmatched : [input.query.trim()];
    const fuzzy = sql.join(
      probes.map((w) => sql`word_similarity(${w}, a.title)`),
      sql` + `,
    );
    const near = sql.join(
      probes.map((w) => sql`${w} <% a.title`),
      sql` OR `,
    );
    const found = await queryRows<Row>(
      db,
      candidateRows(
        input,
        terms,
        sql`SELECT a.id, (${fuzzy})::float8 AS rank FROM kb_articles a WHERE ${vis} AND (${near})
          ORDER BY rank DESC, a.id LIMIT 20`,
        sql`, chosen.rank AS fuzzy`,
      ),
    );
    for (const row of found) rows.set(row.id, { ...(rows.get(row.id) ?? row), fuzzy: row.fuzzy ?? 0 });
  }
  const rareIdf = Math.log(1 + stats.documents);
  const scored = [...rows.values()].map((row) => {
    const doc = {
      titleLength: row.title_length / 6,
      bodyLength: row.body_length,
      hits: hitsFor(terms, row.lexemes ?? []),
      titleSimilarity: row.similarity,
    };
    const avg = { ...stats, avgTitleLength: stats.avgTitleLength / 6 };
    const base =
      input.ranking === 'bm25' ? bm25Score(terms, dfs, doc, avg) : rapportScore(terms, dfs, doc, avg);
    return { row, score: base + FUZZY_WEIGHT * rareIdf * (row.fuzzy ?? 0) };
  });
  scored.sort((a, b) => b.score - a.score || (a.row.id < b.row.id ? -1 : 1));
  const top = scored.slice(0, limit);
  const excerpts = new Map<string, string>();
  if (top.length > 0) {
    const found = await queryRows<{ id: string; excerpt: string }>(
      db,
      sql`SELECT id, left(body_text, 400) AS excerpt FROM kb_articles
        WHERE workspace_id = ${input.workspaceId} AND id IN (${sql.join(
          top.map((t) => sql`${t.row.id}`),
          sql`, `,
        )})`,
    );
    for (const r of found) excerpts.set(r.id, r.excerpt);
  }
  const hits = top.map(({ row, score }) => ({
    id: row.id,
    slug: row.slug,
    title: row.title,
    language: row.language,
    categoryId: row.category_id,
    internal: row.internal,
    status: row.status,
    excerpt: excerptOf(excerpts.get(row.id) ?? ''),
    score: Math.round(score * 1000) / 1000,
    updatedAt: new Date(row.updated_at),
  }));
  const searchId =
    input.log === false || normalizeQuery(input.query) === ''
      ? null
      : await logSearch(db, {
          workspaceId: input.workspaceId,
          query: input.query,
          source: input.source,
          resultsCount: hits.length,
        });
  return { hits, searchId, documents: stats.documents };
}
