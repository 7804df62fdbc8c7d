import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CliError } from '../cli/cli-error.ts';
import type { Command } from '../cli/commands.ts';
import { withDatabase } from '../cli/server-commands.ts';
import { workspaceAdmin } from '../cli/workspace-admin.ts';
import { importFeedbackCsv } from './feedback-import.ts';

/** `rapport import feedback FILE.csv`: reviews and survey answers from elsewhere, as feedback items. */
export const importFeedbackCommand: Command = {
  summary:
    'Import reviews and survey answers as feedback (idempotent by source and external_id): FILE.csv [--workspace SLUG]',
  positional: 'path',
  options: { path: { type: 'string' }, workspace: { type: 'string', default: 'default' } },
  async run(values, config) {
    const file = values.path as string | undefined;
    if (!file) throw new CliError('--path must name the CSV file');
    let csv: string;
    try {
      csv = readFileSync(path.resolve(file), 'utf8');
    } catch {
      throw new CliError(`Cannot read ${file}`);
    }
    const slug = values.workspace as string;
    const summary = await withDatabase(config, async ({ db }) => {
      return importFeedbackCsv(db, await workspaceAdmin(db, config, slug), csv, new Date());
    });
    for (const rejected of summary.rejected)
      process.stderr.write(`row ${rejected.row}: ${rejected.reason}\n`);
    console.log(
      `Imported feedback: ${summary.created} created, ${summary.skipped} skipped, ${summary.rejected.length} rejected`,
    );
    return summary.rejected.length && !summary.created && !summary.skipped ? 1 : 0;
  },
};
