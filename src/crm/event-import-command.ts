import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CliError } from '../cli/cli-error.ts';
import type { Command } from '../cli/commands.ts';
import { withDatabase } from '../cli/server-commands.ts';
import { workspaceAdmin } from '../cli/workspace-admin.ts';
import { progressBar } from '../imports/import-commands.ts';
import { csvEvents, importEvents, ndjsonEvents } from './event-import.ts';

/** `rapport import events FILE.csv|FILE.ndjson`: business events, through the same path as the API. */
export const importEventsCommand: Command = {
  summary:
    'Import business events (orders, shipments, payments, anything else; idempotent by id): FILE.csv|FILE.ndjson [--workspace SLUG]',
  positional: 'path',
  options: { path: { type: 'string' }, workspace: { type: 'string', default: 'default' } },
  async run(values, config) {
    const file = values.path as string | undefined;
    if (!file) throw new CliError('--path must name a .csv or .ndjson file');
    const csv = /\.csv$/i.test(file);
    if (!csv && !/\.(nd)?jsonl?$/i.test(file)) throw new CliError(`${file} is neither .csv nor .ndjson`);
    let text: string;
    try {
      text = readFileSync(path.resolve(file), 'utf8');
    } catch {
      throw new CliError(`Cannot read ${file}`);
    }
    const lines = csv ? csvEvents(text) : ndjsonEvents(text);
    const summary = await withDatabase(config, async ({ db }) =>
      importEvents(
        db,
        await workspaceAdmin(db, config, values.workspace as string),
        lines,
        progressBar('Importing events'),
      ),
    );
    for (const rejected of summary.rejected)
      process.stderr.write(`line ${rejected.line}: ${rejected.reason}\n`);
    console.log(
      `Imported events: ${summary.created} created, ${summary.skipped} already there, ${summary.rejected.length} rejected`,
    );
    return summary.rejected.length ? 1 : 0;
  },
};
