// Search latency at help-center scale: 10,000 published articles built from StackFAQ's real answers in
// one workspace, the dev queries typed in full, as search-as-you-type keystrokes and with a typo, each
// through the one search function and through a plain `ts_rank` query on the same rows, interleaved so
// both see the same machine load.
import { performance } from 'node:perf_hooks';
import { eq, sql } from 'drizzle-orm';
import { workspaces } from '../../src/db/schema/index.ts';
import type { EvalQuery, Faq } from '../../src/kb/kb-eval.ts';
import { importArticles } from '../../src/kb/kb-import.ts';
import { searchArticles } from '../../src/kb/kb-search.ts';
import { type Database, type Db, openDatabase, queryRows } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { createUser } from '../../src/users/user-service.ts';
import { createWorkspace } from '../../src/workspaces/workspace-service.ts';

export const ARTICLES = 10_000;
const WARM_UP = 50;

export const CORPUS_NOTE =
  'StackFAQ kb.jsonl recombined: article i takes FAQ i mod 125 (copy c = floor(i / 125), 80 copies), ' +
  'titled by its question (copies after the first add " (variant c+1)"), its answers as the body ' +
  'rotated by c, then the first answer of FAQ (i + 1 + c) mod 125; all published, inserted through ' +
  'importArticles (the CLI import path: rendered Markdown, generated weighted tsvector, version rows, outbox rows)';

/** 10,000 articles of real text with distinct titles (see CORPUS_NOTE). */
export function buildCorpus(faqs: Faq[], count = ARTICLES) {
  return Array.from({ length: count }, (_, i) => {
    const faq = faqs[i % faqs.length]!;
    const copy = Math.floor(i / faqs.length);
    const shift = copy % Math.max(faq.answers.length, 1);
    const answers = [...faq.answers.slice(shift), ...faq.answers.slice(0, shift)];
    const other = faqs[(i + 1 + copy) % faqs.length]!;
    return {
      title: copy === 0 ? faq.question : `${faq.question} (variant ${copy + 1})`,
      body: [...answers, other.answers[0] ?? ''].join('\n\n'),
      slug: `bench-${i}`,
      status: 'published' as const,
    };
  });
}

/** What a search-as-you-type box sends a moment into typing: the query cut inside a word. */
export function prefixOf(query: string): string | null {
  const text = query.trim().replace(/[.?!]+$/, '');
  const cut = Math.floor(text.length * 0.6);
  const words = text.slice(0, cut).split(/\s+/);
  const last = words.at(-1) ?? '';
  if (last.length < 2) return null;
  return words.join(' ');
}

/** The query with one letter of its longest word swapped with the next (a typist's slip). */
export function typoOf(query: string): string | null {
  const words = query.split(/\s+/);
  let at = -1;
  words.forEach((w, i) => {
    if (/^\p{L}{5,}$/u.test(w) && (at < 0 || w.length > words[at]!.length)) at = i;
  });
  if (at < 0) return null;
  const w = words[at]!;
  const k = Math.floor(w.length / 2);
  words[at] = w.slice(0, k) + w[k + 1] + w[k] + w.slice(k + 2);
  return words.join(' ');
}

type Probe = { kind: 'full' | 'prefix' | 'typo'; query: string };

export function probesOf(queries: EvalQuery[]): Probe[] {
  return queries.flatMap((q) => {
    const prefix = prefixOf(q.query);
    const typo = typoOf(q.query);
    return [
      { kind: 'full' as const, query: q.query },
      ...(prefix ? [{ kind: 'prefix' as const, query: prefix }] : []),
      ...(typo ? [{ kind: 'typo' as const, query: typo }] : []),
    ];
  });
}

/** The same-run baseline: one plain full-text query ranked by `ts_rank`, as a minimal help center would. */
export async function plainTsRank(db: Db, workspaceId: string, query: string) {
  return queryRows<{ id: string; slug: string; title: string; excerpt: string }>(
    db,
    sql`SELECT id, slug, title, left(body_text, 400) AS excerpt FROM kb_articles
      WHERE workspace_id = ${workspaceId} AND status = 'published' AND NOT internal
        AND search @@ websearch_to_tsquery('english', ${query})
      ORDER BY ts_rank(search, websearch_to_tsquery('english', ${query})) DESC, id LIMIT 10`,
  );
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;

function spread(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    queries: ms.length,
    p50_ms: round(percentile(sorted, 50)),
    p95_ms: round(percentile(sorted, 95)),
    p99_ms: round(percentile(sorted, 99)),
    max_ms: round(sorted.at(-1) ?? 0),
  };
}

export type LatencyTarget = { database: 'pglite' | 'postgres'; url?: string | undefined };

/**
 * Loads the corpus into a fresh workspace of the target and times every probe through
 * `searchArticles` (as the help center calls it, unlogged) and through `plainTsRank`.
 */
export async function measureLatency(
  target: LatencyTarget,
  faqs: Faq[],
  queries: EvalQuery[],
  log: (message: string) => void,
) {
  const database: Database = await openDatabase(target.url ? { url: target.url, poolSize: 2 } : {});
  let workspaceId: string | undefined;
  try {
    await migrate(database.db);
    const db = database.db;
    const workspace = await createWorkspace(db, { name: 'KB latency bench' });
    workspaceId = workspace.id;
    const admin = await createUser(db, {
      workspaceId: workspace.id,
      email: `bench-${workspace.id.slice(0, 8)}@example.test`,
      name: 'Bench',
      password: 'bench-password-long',
      role: 'admin',
    });
    const actor = { userId: admin.id, workspaceId: workspace.id, role: 'admin' as const };
    const loadStarted = performance.now();
    let shown = 0;
    const { created } = await importArticles(db, actor, buildCorpus(faqs), (done, total) => {
      if (done - shown >= 2000 || done === total) {
        shown = done;
        log(`${target.database}: imported ${done}/${total} articles`);
      }
    });
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    await db.execute(sql`ANALYZE kb_articles`);

    const probes = probesOf(queries);
    const search = (query: string) =>
      searchArticles(db, {
        workspaceId: workspace.id,
        audience: 'public',
        query,
        source: 'help_center',
        log: false,
        limit: 10,
      });
    for (const probe of probes.slice(0, WARM_UP)) {
      await search(probe.query);
      await plainTsRank(db, workspace.id, probe.query);
    }
    const rapport: Record<Probe['kind'] | 'all', number[]> = { all: [], full: [], prefix: [], typo: [] };
    const baseline: number[] = [];
    let empty = 0;
    for (const probe of probes) {
      let started = performance.now();
      const { hits } = await search(probe.query);
      const ms = performance.now() - started;
      rapport.all.push(ms);
      rapport[probe.kind].push(ms);
      if (hits.length === 0) empty++;
      started = performance.now();
      await plainTsRank(db, workspace.id, probe.query);
      baseline.push(performance.now() - started);
    }
    return {
      database: database.kind,
      articles: created,
      load_seconds: round(loadSeconds, 1),
      rapport: {
        ...spread(rapport.all),
        no_result_share: round(empty / probes.length, 4),
        by_kind: { full: spread(rapport.full), prefix: spread(rapport.prefix), typo: spread(rapport.typo) },
      },
      baseline_ts_rank: spread(baseline),
    };
  } finally {
    // A shared PostgreSQL keeps nothing of the bench.
    if (workspaceId && target.url)
      await database.db
        .delete(workspaces)
        .where(eq(workspaces.id, workspaceId))
        .catch((error: unknown) =>
          log(`could not delete the bench workspace ${workspaceId}: ${String(error)}`),
        );
    await database.close();
  }
}
