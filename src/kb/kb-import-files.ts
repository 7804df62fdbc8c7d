import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseCsv } from '../imports/import-csv.ts';
import type { ImportItem } from './kb-import.ts';
import { slugify } from './kb-slug.ts';

/** A source that cannot be read as articles; the message says what to fix. */
export class KbImportFormatError extends Error {}

const MARKDOWN = /\.(md|markdown)$/i;
const listOf = (value: string | undefined) =>
  (value ?? '')
    .split(/[,;]/)
    .map((v) => v.trim())
    .filter(Boolean);
const yes = (value: string | undefined) => /^(true|yes|1)$/i.test(value?.trim() ?? '');

/** `---` key: value lines `---` at the top of a Markdown file, and the rest. */
function frontMatter(text: string): { fields: Record<string, string>; body: string } {
  const clean = text.replace(/^\uFEFF/, '');
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(clean);
  if (!match) return { fields: {}, body: clean };
  const fields: Record<string, string> = {};
  for (const line of match[1]!.split(/\r?\n/)) {
    const pair = /^([A-Za-z_]+)\s*:\s*(.*)$/.exec(line);
    if (pair) fields[pair[1]!.toLowerCase()] = pair[2]!.trim().replace(/^["']|["']$/g, '');
  }
  return { fields, body: clean.slice(match[0].length) };
}

/**
 * One Markdown file as an article: the title from front matter, else the first `# heading` (taken out
 * of the body), else the file name; the slug from the file name, so a re-import finds it again; the
 * category from front matter or the sub-folder the file sits in.
 */
export function markdownItem(file: string, text: string, folder?: string): ImportItem {
  const { fields, body } = frontMatter(text);
  const heading = /^\s*#\s+(.+?)\s*#*\s*$/m.exec(body);
  const fromHeading = !fields.title && heading && body.slice(0, heading.index).trim() === '';
  const title = fields.title || (fromHeading ? heading[1]! : path.basename(file).replace(MARKDOWN, ''));
  const status = fields.status === 'draft' ? 'draft' : 'published';
  return {
    title,
    body: (fromHeading ? body.slice(heading.index + heading[0].length) : body).trim(),
    slug: fields.slug || slugify(path.basename(file).replace(MARKDOWN, '')),
    category: fields.category || folder,
    tags: listOf(fields.tags),
    status,
    internal: yes(fields.internal),
    ...(fields.language && { language: fields.language }),
    ...(fields.review_by && { reviewBy: fields.review_by }),
  };
}

/** FAQ pairs: a `question` (or `title`) and an `answer` (or `body`) column; category and tags optional. */
export function csvItems(text: string): ImportItem[] {
  const rows = parseCsv(text);
  if (rows.length === 0) throw new KbImportFormatError('The CSV has no rows');
  const first = rows[0]!;
  const questionColumn = 'question' in first ? 'question' : 'title' in first ? 'title' : undefined;
  const answerColumn = 'answer' in first ? 'answer' : 'body' in first ? 'body' : undefined;
  if (!questionColumn || !answerColumn)
    throw new KbImportFormatError('The CSV needs a "question" and an "answer" column');
  return rows
    .filter((row) => row[questionColumn]?.trim())
    .map((row) => ({
      title: row[questionColumn]!.trim(),
      body: row[answerColumn] ?? '',
      slug: slugify(row[questionColumn]!),
      category: row.category?.trim() || undefined,
      tags: listOf(row.tags),
      internal: yes(row.internal),
      status: row.status?.trim() === 'draft' ? ('draft' as const) : ('published' as const),
    }));
}

function markdownFiles(dir: string, folder?: string): ImportItem[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && !entry.name.startsWith('.')) return markdownFiles(full, entry.name);
      if (!entry.isFile() || !MARKDOWN.test(entry.name)) return [];
      return [markdownItem(full, readFileSync(full, 'utf8'), folder)];
    });
}

/** Reads `target`: a folder of Markdown files (sub-folders become categories) or a CSV of FAQ pairs. */
export function readKbSource(target: string): ImportItem[] {
  if (!existsSync(target)) throw new KbImportFormatError(`${target} does not exist`);
  if (statSync(target).isDirectory()) {
    const items = markdownFiles(target);
    if (items.length === 0) throw new KbImportFormatError(`${target} holds no .md files`);
    return items;
  }
  if (/\.csv$/i.test(target)) return csvItems(readFileSync(target, 'utf8'));
  if (MARKDOWN.test(target)) return [markdownItem(target, readFileSync(target, 'utf8'))];
  throw new KbImportFormatError(`${target} is neither a folder of Markdown files nor a .csv file`);
}
