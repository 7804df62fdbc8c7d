// Coach: ms per reply check (p50/p95/max) over real replies — the agent turns of SGD customer-service
// dialogues with the customer turn before each, and StackFAQ answers with their question — beside a
// naive baseline that runs one fresh case-insensitive regex per phrase per check. Aim: p95 under 20 ms.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkReply } from '../src/intel/coach-engine.ts';
import { type CoachRules, defaultCoachRules } from '../src/intel/coach-rules.ts';
import { fleschKincaidGrade, sentences, wordsWithOffsets } from '../src/intel/coach-text.ts';

const dataDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/data');
const AIM = { p95_ms: 20 } as const;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

type Sample = { text: string; customerText: string };

function loadSamples(): Sample[] {
  const samples: Sample[] = [];
  type Dialogue = { turns: { speaker: string; utterance: string }[] };
  const dialogues = JSON.parse(
    readFileSync(path.join(dataDir, 'sgd-customer-service/train.json'), 'utf8'),
  ) as Dialogue[];
  for (const dialogue of dialogues) {
    let customerText = '';
    for (const turn of dialogue.turns) {
      if (turn.speaker === 'USER') customerText = turn.utterance;
      else samples.push({ text: turn.utterance, customerText });
    }
  }
  const faq = readFileSync(path.join(dataDir, 'stackfaq/kb.jsonl'), 'utf8').trim().split('\n');
  for (const line of faq) {
    const { question, answers } = JSON.parse(line) as { question: string; answers: string[] };
    for (const answer of answers) samples.push({ text: answer, customerText: question });
  }
  return samples;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The obvious way: every phrase of every list becomes a regex, built and run on each check. */
function naiveCheck(sample: Sample, rules: CoachRules): number {
  let hits = 0;
  const scan = (phrases: string[], text: string) => {
    for (const phrase of phrases) {
      const pattern = new RegExp(`\\b${escapeRegExp(phrase)}\\b`, 'gi');
      for (const _ of text.matchAll(pattern)) hits++;
    }
  };
  scan(rules.upsetPhrases, sample.customerText);
  scan(rules.empathyPhrases, sample.text);
  scan(rules.nextStepPhrases, sample.text);
  scan(rules.timeFramePhrases, sample.text);
  for (const list of [
    rules.jargon,
    rules.blame,
    rules.style.banned,
    rules.style.casualWords,
    rules.style.stiffWords,
  ])
    scan(
      list.map((r) => r.phrase),
      sample.text,
    );
  const tokens = wordsWithOffsets(sample.text);
  return hits + fleschKincaidGrade(tokens, sentences(sample.text, tokens).length);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

function time(samples: Sample[], run: (sample: Sample) => unknown) {
  const ms: number[] = [];
  let sink = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const sample of samples) {
      const started = performance.now();
      sink += run(sample) ? 1 : 0;
      ms.push(performance.now() - started);
    }
  }
  ms.sort((a, b) => a - b);
  const round3 = (n: number) => Math.round(n * 1000) / 1000;
  return {
    p50_ms: round3(percentile(ms, 0.5)),
    p95_ms: round3(percentile(ms, 0.95)),
    max_ms: round3(ms.at(-1)!),
    checks: ms.length,
    sink,
  };
}

export default async function coachBench() {
  if (!existsSync(path.join(dataDir, 'sgd-customer-service/train.json'))) {
    const reason = `../shared/data/sgd-customer-service is absent: nothing to measure`;
    console.error(reason);
    return { skipped: reason };
  }
  const samples = loadSamples();
  const rules = defaultCoachRules;
  const coldStart = performance.now();
  checkReply(samples[0]!, structuredClone(rules));
  const cold = Math.round((performance.now() - coldStart) * 1000) / 1000;

  const flagged: Record<string, number> = {};
  for (const sample of samples)
    for (const rule of new Set(checkReply(sample, rules).flags.map((f) => f.rule)))
      flagged[rule] = (flagged[rule] ?? 0) + 1;
  const coach = time(samples, (sample) => checkReply(sample, rules).score);
  const baseline = time(samples, (sample) => naiveCheck(sample, rules));
  // Long replies separately: the data's median reply is short, an agent's e-mail is not.
  const long = samples.filter((s) => s.text.split(/\s+/).length >= 100);
  const coachLong = time(long, (sample) => checkReply(sample, rules).score);
  const baselineLong = time(long, (sample) => naiveCheck(sample, rules));
  const words = samples.map((s) => s.text.split(/\s+/).length).sort((a, b) => a - b);
  return {
    replies: samples.length,
    words_p50: percentile(words, 0.5),
    words_max: words.at(-1),
    coach: { ...coach, first_check_with_compile_ms: cold },
    baseline_naive_regex: baseline,
    long_replies: { replies: long.length, coach: coachLong, baseline_naive_regex: baselineLong },
    speedup_p50: Math.round((baseline.p50_ms / coach.p50_ms) * 10) / 10,
    replies_flagged_by_rule: flagged,
    aim: AIM,
    meets_aim: coach.p95_ms < AIM.p95_ms && coachLong.p95_ms < AIM.p95_ms,
  };
}
