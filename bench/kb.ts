// Knowledge-base search on StackFAQ. Quality: the 125 FAQs as articles and the 625 dev rephrasings as
// queries, hit@1, hit@3 and MRR of Rapport's ranking beside plain BM25 on the same index (aim: MRR at
// least 5 points above). Speed: 10,000 articles recombined from the same answers in one workspace, the
// dev queries in full, as search-as-you-type prefixes and with a typo, p50/p95/p99 of the one search
// function beside a plain `ts_rank` query in the same run (aim: p95 under 30 ms), on PGlite and, when
// BENCH_DATABASE_URL is set, on real PostgreSQL. The test queries stay out of the repo.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFaqs, readQueries, runEval } from '../src/kb/kb-eval.ts';
import { ARTICLES, CORPUS_NOTE, type LatencyTarget, measureLatency } from './support/kb-latency.ts';

const dataDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/data/stackfaq');
const AIM = { mrr_gain_points: 5, p95_ms: 30, articles: ARTICLES } as const;

const log = (message: string) => console.error(`[bench kb] ${message}`);

export default async function kbBench() {
  const kb = path.join(dataDir, 'kb.jsonl');
  const queries = path.join(dataDir, 'queries_dev.jsonl');
  if (!existsSync(kb) || !existsSync(queries))
    throw new Error(
      `the kb bench needs the StackFAQ data set (kb.jsonl and queries_dev.jsonl) at ${dataDir}, which is missing`,
    );
  const faqs = readFaqs(kb);
  const devQueries = readQueries(queries);
  log('MRR on 125 articles');
  const quality = await runEval(faqs, devQueries);

  const url = process.env.BENCH_DATABASE_URL;
  if (!url) log('BENCH_DATABASE_URL is not set: latency on PGlite only');
  const targets: LatencyTarget[] = [
    { database: 'pglite' },
    ...(url ? [{ database: 'postgres' as const, url }] : []),
  ];
  const latency = [];
  for (const target of targets) {
    log(`latency at ${ARTICLES} articles on ${target.database}`);
    latency.push(await measureLatency(target, faqs, devQueries, log));
  }
  return {
    data_set: 'stackfaq (kb.jsonl + queries_dev.jsonl)',
    quality: { ...quality, baseline: 'bm25' },
    latency: {
      corpus: CORPUS_NOTE,
      probes:
        'each dev query as typed, its first 60% cut inside a word (search-as-you-type, last word as prefix), ' +
        'and with two letters of its longest word swapped; searchArticles as the help center calls it (limit 10, unlogged), ' +
        'timed end to end from Node, interleaved with the baseline',
      baseline:
        "plain ts_rank: one query, websearch_to_tsquery('english') over the same weighted tsvector and GIN index, LIMIT 10",
      results: latency,
    },
    aim: AIM,
    meets_aim: {
      mrr: quality.mrr_gain_points >= AIM.mrr_gain_points,
      p95: latency.every((r) => r.rapport.p95_ms < AIM.p95_ms),
    },
  };
}
