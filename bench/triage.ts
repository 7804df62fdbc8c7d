// Triage: Rapport's classifier (TF-IDF words, word pairs, char n-grams, linear SVM) against a plain
// multinomial naive Bayes, both trained from scratch in this run. Banking77: a fifth of train.csv
// carved out by text hash (the official test split is never used here); CLINC150: train → val.
import path from 'node:path';
import { labelledRows, parseCsv } from '../src/intel/eval-csv.ts';
import { round, scorePredictions } from '../src/intel/eval-metrics.ts';
import { evaluateTriage } from '../src/intel/triage-eval.ts';
import { carve, readText, requireDataSet } from './support/data-splits.ts';
import { trainNaiveBayes } from './support/text-baselines.ts';

type Row = { text: string; label: string };
const AIM = { banking77_accuracy: 0.9, train_seconds: 30, ms_per_item: 2 } as const;

function naiveBayes(train: Row[], test: Row[]) {
  const started = performance.now();
  const predict = trainNaiveBayes(train);
  const trained = performance.now();
  return { ...scorePredictions(test, predict), train_seconds: round((trained - started) / 1000, 2) };
}

function compare(name: string, train: Row[], test: Row[]) {
  const rapport = evaluateTriage(train, test);
  return { data_set: name, rapport, naive_bayes: naiveBayes(train, test) };
}

export default async function triageBench() {
  const banking = labelledRows(parseCsv(readText(path.join(requireDataSet('banking77'), 'train.csv'))));
  const bankingSplit = carve(banking);
  const clinc = JSON.parse(readText(path.join(requireDataSet('clinc150'), 'data_full_train_val.json'))) as {
    train: [string, string][];
    val: [string, string][];
  };
  const toRows = (items: [string, string][]) => items.map(([text, label]) => ({ text, label }));
  const results = [
    compare('banking77 (train.csv, 1/5 carved by text hash)', bankingSplit.train, bankingSplit.test),
    compare('clinc150 (train → val, in-scope)', toRows(clinc.train), toRows(clinc.val)),
  ];
  return { aim: AIM, results };
}
