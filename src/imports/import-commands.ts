import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { CliError } from '../cli/cli-error.ts';
import type { Command } from '../cli/commands.ts';
import { withDatabase } from '../cli/server-commands.ts';
import { workspaceAdmin } from '../cli/workspace-admin.ts';
import { storageFromConfig } from '../platform/storage-config.ts';
import { ExportError, exportAll } from './export-service.ts';
import { ImportFormatError, readExport } from './import-parsers.ts';
import { runImport } from './import-service.ts';
import { type ImportSource, importSourcesList } from './import-types.ts';

/** A progress bar on stderr (stdout keeps the summary, for scripts). */
export function progressBar(label: string) {
  const tty = process.stderr.isTTY;
  let last = -1;
  return (done: number, total: number) => {
    const percent = total ? Math.floor((done / total) * 100) : 100;
    if (percent === last && done !== total) return;
    last = percent;
    const filled = Math.round(percent / 5);
    const bar = `${label} [${'#'.repeat(filled)}${'.'.repeat(20 - filled)}] ${done}/${total}`;
    process.stderr.write(
      tty ? `\r${bar}${done === total ? '\n' : ''}` : done === total || percent % 25 === 0 ? `${bar}\n` : '',
    );
  };
}

export const importCommand: Command = {
  summary: `Import another product's export: import ${importSourcesList.join('|')} PATH`,
  options: { path: { type: 'string' }, workspace: { type: 'string', default: 'default' } },
  async run() {
    throw new CliError(
      `Say which product the export is from: rapport import ${importSourcesList.join('|')} PATH`,
    );
  },
};

/** `rapport import <source>`: one command per product, so the source is part of the command name. */
export const importCommands: Record<string, Command> = Object.fromEntries(
  importSourcesList.map((source) => [
    `import ${source}`,
    {
      summary: `Import a ${source} export (idempotent by source id): PATH [--workspace SLUG]`,
      positional: 'path',
      options: { path: { type: 'string' }, workspace: { type: 'string', default: 'default' } },
      async run(values, config) {
        const target = values.path as string | undefined;
        if (!target) throw new CliError(`--path must name the ${source} export`);
        let bundle: ReturnType<typeof readExport>;
        try {
          bundle = readExport(source as ImportSource, path.resolve(target));
        } catch (error) {
          if (error instanceof ImportFormatError) throw new CliError(error.message);
          throw error;
        }
        const summary = await withDatabase(config, async ({ db }) => {
          const slug = values.workspace as string;
          const actor = await workspaceAdmin(db, config, slug);
          return runImport(db, actor, source as ImportSource, bundle, progressBar(`Importing ${source}`));
        });
        const line = (name: keyof typeof summary) =>
          `  ${name.padEnd(14)} ${String(summary[name].created).padStart(6)} created ${String(summary[name].skipped).padStart(6)} skipped`;
        console.log(
          [
            `Imported the ${source} export:`,
            line('organisations'),
            line('customers'),
            line('tickets'),
            line('messages'),
          ].join('\n'),
        );
        return 0;
      },
    } satisfies Command,
  ]),
);

export const exportCommand: Command = {
  summary: 'Export every workspace as NDJSON per table plus attachments: NEW_DIR',
  positional: 'path',
  options: { path: { type: 'string' } },
  async run(values, config) {
    const out = values.path as string | undefined;
    if (!out) throw new CliError('--path must name a new folder for the export');
    if (existsSync(out) && readdirSync(out).length)
      throw new CliError(`${out} is not empty; name a new folder`);
    const summary = await withDatabase(config, ({ db }) =>
      exportAll(
        // The same store the server writes to: the data dir, a shared folder or an S3 bucket.
        { db, storage: storageFromConfig(config) },
        path.resolve(out),
        (table) => process.stderr.write(`Exporting ${table}\n`),
      ).catch((error: unknown) => {
        if (error instanceof ExportError) throw new CliError(error.message);
        throw error;
      }),
    );
    const rows = Object.values(summary.tables).reduce((a, b) => a + b, 0);
    console.log(
      `Exported ${rows} rows from ${Object.keys(summary.tables).length} tables and ${summary.attachments} attachments to ${out}` +
        (summary.missingFiles ? ` (${summary.missingFiles} attachment files were missing from storage)` : ''),
    );
    return 0;
  },
};
