import { readFile } from 'node:fs/promises';
import { CsvFormatError, labelledRows, parseCsv } from '../intel/eval-csv.ts';
import { evaluateSentiment, normalizeSentimentLabels } from '../intel/sentiment-eval.ts';
import { evaluateTriage } from '../intel/triage-eval.ts';
import { CliError } from './cli-error.ts';
import type { Command } from './commands.ts';

async function readTable(option: string, file: string | boolean | undefined) {
  if (typeof file !== 'string' || file === '') throw new CliError(`${option} FILE.csv is required`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  try {
    return parseCsv(text);
  } catch (error) {
    if (error instanceof CsvFormatError) throw new CliError(`${file} is not a valid CSV: ${error.message}`);
    throw error;
  }
}

function rowsOf(
  file: string,
  table: ReturnType<typeof parseCsv>,
  columns: { text?: string; label?: string },
) {
  try {
    return labelledRows(table, columns);
  } catch (error) {
    if (error instanceof CsvFormatError) throw new CliError(`${file}: ${error.message}`);
    throw error;
  }
}

export const intelEvalCommand: Command = {
  summary:
    'Train triage on --train CSV (text, label), score --test CSV; prints JSON accuracy, macro_f1, timings',
  options: { train: { type: 'string' }, test: { type: 'string' } },
  async run(values) {
    const train = rowsOf(String(values.train), await readTable('--train', values.train), {});
    const test = rowsOf(String(values.test), await readTable('--test', values.test), {});
    console.log(JSON.stringify(evaluateTriage(train, test), null, 2));
    return 0;
  },
};

export const intelEvalSentimentCommand: Command = {
  summary: 'Score sentiment on --test CSV [--train CSV] --text-column C --label-column L; prints JSON',
  options: {
    test: { type: 'string' },
    train: { type: 'string' },
    'text-column': { type: 'string' },
    'label-column': { type: 'string' },
  },
  async run(values) {
    const text = values['text-column'];
    const label = values['label-column'];
    if (typeof text !== 'string' || typeof label !== 'string')
      throw new CliError('--text-column and --label-column are required');
    const load = async (option: string, file: string | boolean | undefined) => {
      const rows = rowsOf(String(file), await readTable(option, file), { text, label });
      try {
        const labels = normalizeSentimentLabels(rows.map((row) => row.label));
        return rows.map((row, i) => ({ text: row.text, label: labels[i]! }));
      } catch (error) {
        if (error instanceof CsvFormatError) throw new CliError(`${file}: ${error.message}`);
        throw error;
      }
    };
    const test = await load('--test', values.test);
    const train = values.train === undefined ? undefined : await load('--train', values.train);
    console.log(JSON.stringify(evaluateSentiment(test, train), null, 2));
    return 0;
  },
};
