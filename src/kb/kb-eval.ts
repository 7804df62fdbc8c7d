import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { kbArticles } from '../db/schema/index.ts';
import { openDatabase } from '../platform/db/database.ts';
import { migrate } from '../platform/db/migrate.ts';
import { createUser } from '../users/user-service.ts';
import { createWorkspace } from '../workspaces/workspace-service.ts';
import { importArticles } from './kb-import.ts';
import { searchArticles } from './kb-search.ts';

const faqLine = z.object({
  faq_id: z.union([z.string().min(1), z.number()]).transform(String),
  question: z.string().min(1),
  answers: z.array(z.string()),
});
const queryLine = z.object({
  query: z.string(),
  faq_id: z.union([z.string().min(1), z.number()]).transform(String),
});

export type Faq = z.infer<typeof faqLine>;
export type EvalQuery = z.infer<typeof queryLine>;

/** A file's input was malformed: the message names the file and line. */
export class EvalInputError extends Error {}

/** Reads a JSON-lines file, every non-empty line checked against `schema`. */
export function readJsonl<T>(file: string, schema: z.ZodType<T>, what: string): T[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new EvalInputError(`Cannot read ${what} file ${file}`);
  }
  const out: T[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new EvalInputError(`${file}:${i + 1}: not JSON`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new EvalInputError(
        `${file}:${i + 1}: ${issue?.path.join('.') || 'line'} ${issue?.message ?? 'is invalid'}`,
      );
    }
    out.push(parsed.data);
  });
  if (out.length === 0) throw new EvalInputError(`${file} has no ${what} lines`);
  return out;
}

export const readFaqs = (file: string) => readJsonl(file, faqLine, 'knowledge-base');
export const readQueries = (file: string) => readJsonl(file, queryLine, 'query');

const slugOf = (faqId: string) =>
  `faq-${faqId}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/-+$/, '');

type Figures = { hit_at_1: number; hit_at_3: number; mrr: number; ms_p50: number; ms_p95: number };

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;
const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;

function figures(ranks: Array<number | null>, ms: number[]): Figures {
  const n = ranks.length || 1;
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    hit_at_1: round(ranks.filter((r) => r === 1).length / n),
    hit_at_3: round(ranks.filter((r) => r !== null && r <= 3).length / n),
    mrr: round(ranks.reduce<number>((sum, r) => sum + (r ? 1 / r : 0), 0) / n),
    ms_p50: round(percentile(sorted, 50), 2),
    ms_p95: round(percentile(sorted, 95), 2),
  };
}

/**
 * Loads the FAQs into a fresh in-memory workspace (each an article titled by its question, its answers
 * as the body) and runs every query through Rapport's ranking and through plain BM25 on the same index.
 */
export async function runEval(faqs: Faq[], queries: EvalQuery[], options: { depth?: number } = {}) {
  const known = new Set(faqs.map((f) => f.faq_id));
  const unknown = queries.find((q) => !known.has(q.faq_id));
  if (unknown)
    throw new EvalInputError(`Query "${unknown.query}" names faq_id ${unknown.faq_id}, which the KB lacks`);
  const database = await openDatabase({});
  try {
    await migrate(database.db);
    const db = database.db;
    const workspace = await createWorkspace(db, { name: 'KB eval' });
    const admin = await createUser(db, {
      workspaceId: workspace.id,
      email: 'eval@example.test',
      name: 'Eval',
      password: 'eval-password-long',
      role: 'admin',
    });
    const actor = { userId: admin.id, workspaceId: workspace.id, role: 'admin' as const };
    await importArticles(
      db,
      actor,
      faqs.map((f) => ({ title: f.question, body: f.answers.join('\n\n'), slug: slugOf(f.faq_id) })),
    );
    const rows = await db
      .select({ id: kbArticles.id, slug: kbArticles.slug })
      .from(kbArticles)
      .where(eq(kbArticles.workspaceId, workspace.id));
    const faqBySlug = new Map(faqs.map((f) => [slugOf(f.faq_id), f.faq_id]));
    const faqOf = new Map(rows.map((r) => [r.id, faqBySlug.get(r.slug)]));
    const depth = options.depth ?? 10;
    const run = async (ranking: 'rapport' | 'bm25') => {
      const ranks: Array<number | null> = [];
      const ms: number[] = [];
      // One warm-up query so the first timing does not pay for plan caching.
      await searchArticles(db, {
        workspaceId: workspace.id,
        audience: 'public',
        query: 'warm up',
        source: 'api',
        log: false,
        ranking,
      });
      for (const q of queries) {
        const started = performance.now();
        const { hits } = await searchArticles(db, {
          workspaceId: workspace.id,
          audience: 'public',
          query: q.query,
          source: 'api',
          log: false,
          limit: depth,
          ranking,
        });
        ms.push(performance.now() - started);
        const at = hits.findIndex((h) => faqOf.get(h.id) === q.faq_id);
        ranks.push(at < 0 ? null : at + 1);
      }
      return figures(ranks, ms);
    };
    const rapport = await run('rapport');
    const bm25 = await run('bm25');
    return {
      articles: faqs.length,
      queries: queries.length,
      database: database.kind,
      rapport,
      bm25,
      mrr_gain_points: round((rapport.mrr - bm25.mrr) * 100, 2),
    };
  } finally {
    await database.close();
  }
}
