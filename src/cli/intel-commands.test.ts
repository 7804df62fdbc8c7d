import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../platform/config.ts';
import { CliError } from './cli-error.ts';
import { intelEvalCommand, intelEvalSentimentCommand } from './intel-commands.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(path.join(os.tmpdir(), 'rapport-intel-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const at = path.join(work, name);
  writeFileSync(at, text);
  return at;
}

type Values = Record<string, string>;
const evaluate = (values: Values) => intelEvalCommand.run(values, loadConfig({}));
const evaluateSentiment = (values: Values) => intelEvalSentimentCommand.run(values, loadConfig({}));

/** The real executable; the evaluation commands never open a database. */
function rapport(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/rapport', ...args],
      { cwd: root, env: { ...process.env, LOG_LEVEL: 'silent', RAPPORT_DATA_DIR: work } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const intents: [string, string][] = [
  ['where is my parcel', 'delivery'],
  ['my package has not arrived', 'delivery'],
  ['tracking number for my delivery', 'delivery'],
  ['when will my order ship', 'delivery'],
  ['refund my money please', 'refund'],
  ['I want my money back', 'refund'],
  ['how long does a refund take', 'refund'],
  ['refund for the broken item', 'refund'],
  ['reset my password', 'login'],
  ['I cannot log in to my account', 'login'],
  ['forgot my password', 'login'],
  ['login page shows an error', 'login'],
];
const csv = (rows: [string, string][], header = 'text,label') =>
  `${header}\n${rows.map(([text, label]) => `"${text}",${label}`).join('\n')}\n`;

describe('rapport intel eval', () => {
  it('trains on one CSV, scores another and prints the figures as JSON', async () => {
    const train = file('train.csv', csv(intents));
    const test = file(
      'test.csv',
      csv([
        ['parcel has not arrived', 'delivery'],
        ['password reset', 'login'],
      ]),
    );
    const run = await rapport('intel', 'eval', '--train', train, '--test', test);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ accuracy: expect.any(Number), macro_f1: expect.any(Number) });
    expect(result.accuracy).toBeGreaterThanOrEqual(0.5);
    expect(result.train_seconds).toBeGreaterThanOrEqual(0);
    expect(result.ms_per_item).toBeGreaterThanOrEqual(0);
  }, 60_000);

  it('exits non-zero with one clear line on a malformed CSV', async () => {
    const unclosed = file('unclosed.csv', 'text,label\n"where is my parcel,delivery\n');
    const run = await rapport('intel', 'eval', '--train', file('ok.csv', csv(intents)), '--test', unclosed);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe(
      `rapport: ${unclosed} is not a valid CSV: line 2: a quoted field is never closed`,
    );
  }, 60_000);

  // Each start of the executable costs seconds of CPU: the other refusals run the command in-process.
  it('names the file and the fault for ragged rows, a missing column, a missing option or file', async () => {
    const train = file('ok.csv', csv(intents));
    const ragged = file('ragged.csv', 'text,label\nwhere is my parcel,delivery,extra\n');
    const oneColumn = file('one.csv', 'text\nwhere is my parcel\n');
    const absent = path.join(work, 'absent.csv');
    await expect(evaluate({ train: ragged, test: train })).rejects.toThrow(
      new CliError(`${ragged} is not a valid CSV: line 2: 3 fields where the header has 2`),
    );
    await expect(evaluate({ train: oneColumn, test: train })).rejects.toThrow(
      new CliError(`${oneColumn}: expected at least two columns (text, label), found 1`),
    );
    await expect(evaluate({ train })).rejects.toThrow(new CliError('--test FILE.csv is required'));
    await expect(evaluate({ train: absent, test: train })).rejects.toThrow(
      new CliError(`cannot read ${absent}: ENOENT`),
    );
  });
});

describe('rapport intel eval-sentiment', () => {
  const messages: [string, string][] = [
    ['Thanks so much, that fixed it!', 'positive'],
    ['Great service, very happy', 'positive'],
    ['Where is my parcel?', 'neutral'],
    ['What are your opening hours', 'neutral'],
    ['This is terrible, the app crashes every time.', 'negative'],
    ['Third time I am asking, still broken', 'negative'],
  ];

  it('scores a CSV by named columns, with the lexicon or a model trained on another CSV', async () => {
    const test = file(
      'sentiment.csv',
      csv(
        messages.map(([t, l]) => [t, l]),
        'tweet,airline_sentiment',
      ),
    );
    const columns = ['--text-column', 'tweet', '--label-column', 'airline_sentiment'];
    const lexicon = await rapport('intel', 'eval-sentiment', '--test', test, ...columns);
    expect(lexicon.stderr).toBe('');
    expect(lexicon.code).toBe(0);
    expect(JSON.parse(lexicon.stdout)).toMatchObject({
      method: 'lexicon_signals',
      test_rows: 6,
      train_rows: 0,
    });
    expect(JSON.parse(lexicon.stdout).accuracy).toBeGreaterThanOrEqual(0.8);

    const printed = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const code = await evaluateSentiment({
        test,
        train: test,
        'text-column': 'tweet',
        'label-column': 'airline_sentiment',
      });
      expect(code).toBe(0);
      expect(JSON.parse(String(printed.mock.calls[0]?.[0]))).toMatchObject({
        method: 'trained',
        test_rows: 6,
        train_rows: 6,
      });
    } finally {
      printed.mockRestore();
    }
  }, 60_000);

  it('exits non-zero with one clear line when an option is missing', async () => {
    const run = await rapport('intel', 'eval-sentiment', '--test', file('s.csv', csv(messages)));
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe('rapport: --text-column and --label-column are required');
  }, 60_000);

  it('refuses unknown labels, unknown columns, a malformed CSV and a missing --test', async () => {
    const test = file('s.csv', csv(messages));
    const oddLabels = file('odd.csv', csv([['fine', 'happy']]));
    const broken = file('broken.csv', 'text,label\n"fine"x,positive\n');
    const columns = { 'text-column': 'text', 'label-column': 'label' };
    await expect(evaluateSentiment({ test: oddLabels, ...columns })).rejects.toThrow(
      /odd\.csv: row 1: label "happy" is not negative\/neutral\/positive/,
    );
    await expect(evaluateSentiment({ test, 'text-column': 'body', 'label-column': 'label' })).rejects.toThrow(
      new CliError(`${test}: no column "body" (the header has: text, label)`),
    );
    await expect(evaluateSentiment({ test: broken, ...columns })).rejects.toThrow(
      new CliError(`${broken} is not a valid CSV: line 2: text after a closing quote`),
    );
    await expect(evaluateSentiment(columns)).rejects.toThrow(new CliError('--test FILE.csv is required'));
  });
});
