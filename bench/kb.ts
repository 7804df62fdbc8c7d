// Knowledge-base search on StackFAQ (125 FAQs as articles, the 625 dev rephrasings as queries):
// hit@1, hit@3, MRR and ms per query for Rapport's ranking beside plain BM25 on the same index, in
// the same run. Aim: MRR at least 5 points above BM25. The test queries stay out of the repo.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFaqs, readQueries, runEval } from '../src/kb/kb-eval.ts';

const dataDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/data/stackfaq');
const AIM = { mrr_gain_points: 5 } as const;

export default async function kbBench() {
  const kb = path.join(dataDir, 'kb.jsonl');
  const queries = path.join(dataDir, 'queries_dev.jsonl');
  if (!existsSync(kb) || !existsSync(queries)) {
    console.error(`[bench kb] ${dataDir} is missing: skipping.`);
    return { skipped: `no data set at ${dataDir}` };
  }
  const result = await runEval(readFaqs(kb), readQueries(queries));
  return {
    data_set: 'stackfaq (kb.jsonl + queries_dev.jsonl)',
    ...result,
    baseline: 'bm25',
    aim: AIM,
    meets_aim: result.mrr_gain_points >= AIM.mrr_gain_points,
  };
}
