import path from 'node:path';
import { CliError } from '../cli/cli-error.ts';
import type { Command } from '../cli/commands.ts';
import { withDatabase } from '../cli/server-commands.ts';
import { workspaceAdmin } from '../cli/workspace-admin.ts';
import { EvalInputError, readFaqs, readQueries, runEval } from './kb-eval.ts';
import { importArticles } from './kb-import.ts';
import { KbImportFormatError, readKbSource } from './kb-import-files.ts';

/** Articles imported so far, as a bar on stderr; stdout keeps the one-line summary for scripts. */
function articleProgress() {
  let shown = -1;
  return (done: number, total: number) => {
    const tenths = Math.floor((done / Math.max(total, 1)) * 10);
    if (tenths === shown) return;
    shown = tenths;
    const line = `Importing articles [${'#'.repeat(tenths * 2).padEnd(20, '.')}] ${done}/${total}`;
    process.stderr.write(process.stderr.isTTY ? `\r${line}${done === total ? '\n' : ''}` : `${line}\n`);
  };
}

/** `rapport kb import PATH`: a folder of Markdown files or a CSV of FAQ pairs; re-runs skip what is there. */
export const kbImportCommand: Command = {
  summary: 'Import knowledge-base articles from a folder of Markdown files or a CSV of FAQ pairs: PATH',
  positional: 'path',
  options: { path: { type: 'string' }, workspace: { type: 'string', default: 'default' } },
  async run(values, config) {
    const target = values.path as string | undefined;
    if (!target) throw new CliError('--path must name a folder of .md files or a .csv file');
    let items: ReturnType<typeof readKbSource>;
    try {
      items = readKbSource(path.resolve(target));
    } catch (error) {
      if (error instanceof KbImportFormatError) throw new CliError(error.message);
      throw error;
    }
    const slug = values.workspace as string;
    const result = await withDatabase(config, async ({ db }) => {
      const actor = await workspaceAdmin(db, config, slug);
      return importArticles(db, actor, items, articleProgress());
    });
    console.log(`Imported ${result.created} articles (${result.skipped} already there) into "${slug}".`);
    return 0;
  },
};

/** `rapport kb eval --kb KB.jsonl --queries Q.jsonl`: Rapport's ranking beside BM25, as JSON on stdout. */
export const kbEvalCommand: Command = {
  summary:
    'Rank --queries JSONL against --kb JSONL in a fresh in-memory workspace; prints JSON hit@1/3, MRR, ms',
  options: { kb: { type: 'string' }, queries: { type: 'string' } },
  async run(values) {
    if (typeof values.kb !== 'string' || typeof values.queries !== 'string')
      throw new CliError('--kb and --queries must name JSON-lines files');
    try {
      const result = await runEval(readFaqs(values.kb), readQueries(values.queries));
      console.log(JSON.stringify(result, null, 2));
    } catch (error) {
      if (error instanceof EvalInputError) throw new CliError(error.message);
      throw error;
    }
    return 0;
  },
};
