import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EvalInputError, readFaqs, readQueries, runEval } from './kb-eval.ts';

const work = mkdtempSync(path.join(os.tmpdir(), 'rapport-kb-eval-'));

describe('kb eval', () => {
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('ranks every query against the FAQs with both rankings and reports their figures', async () => {
    const faqs = [
      {
        faq_id: 'a',
        question: 'How do I reset my password?',
        answers: ['Use the Forgot link on the login page.'],
      },
      { faq_id: 'b', question: 'Can I export my data?', answers: ['Settings, then Export, gives a zip.'] },
      { faq_id: 'c', question: 'Why was my card declined?', answers: ['Your bank refused the payment.'] },
    ];
    const queries = [
      { query: 'forgot password', faq_id: 'a' },
      { query: 'download all my data as zip', faq_id: 'b' },
      { query: 'payment refused by bank', faq_id: 'c' },
      { query: 'unrelated words entirely', faq_id: 'c' },
    ];
    const result = await runEval(faqs, queries);
    expect(result).toMatchObject({ articles: 3, queries: 4, database: 'pglite' });
    expect(result.rapport.hit_at_1).toBe(0.75);
    expect(result.bm25.hit_at_1).toBe(0.75);
    expect(result.rapport.mrr).toBe(0.75);
    expect(result.rapport.ms_p95).toBeGreaterThan(0);
  }, 60_000);

  it('names the file and line of a malformed input, and a query for an unknown FAQ', async () => {
    const bad = path.join(work, 'kb.jsonl');
    writeFileSync(bad, '{"faq_id":"a","question":"Q","answers":[]}\n{"faq_id":"b"}\n');
    expect(() => readFaqs(bad)).toThrow(`${bad}:2: question`);
    const queries = path.join(work, 'q.jsonl');
    writeFileSync(queries, '{"query":"x","faq_id":"zzz"}\n');
    await expect(
      runEval([{ faq_id: 'a', question: 'Q', answers: [] }], readQueries(queries)),
    ).rejects.toBeInstanceOf(EvalInputError);
  });
});
