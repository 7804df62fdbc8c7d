import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const sharedData = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/data');

export function requireDataSet(name: string): string {
  const dir = path.join(sharedData, name);
  if (!existsSync(dir)) throw new Error(`data set ${name} not found at ${dir} (see /work/shared/data)`);
  return dir;
}

/** FNV-1a of the text: a split that does not depend on row order and is the same on every run. */
export function textHash(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return hash >>> 0;
}

/** Every fifth row by text hash is held out: the carved evaluation split of a train file. */
export function carve<T extends { text: string }>(rows: readonly T[]): { train: T[]; test: T[] } {
  return {
    train: rows.filter((row) => textHash(row.text) % 5 !== 0),
    test: rows.filter((row) => textHash(row.text) % 5 === 0),
  };
}

export const readText = (file: string) => readFileSync(file, 'utf8');
