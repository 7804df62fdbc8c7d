import type { ParseArgsConfig } from 'node:util';
import { importEventsCommand } from '../crm/event-import-command.ts';
import { importFeedbackCommand } from '../feedback/feedback-import-command.ts';
import { exportCommand, importCommand, importCommands } from '../imports/import-commands.ts';
import { kbEvalCommand, kbImportCommand } from '../kb/kb-commands.ts';
import type { Config } from '../platform/config.ts';
import { backupCommand, restoreCommand } from './backup-commands.ts';
import { seedCommand } from './demo-commands.ts';
import { intelEvalCommand, intelEvalSentimentCommand } from './intel-commands.ts';
import { migrateCommand, startCommand } from './server-commands.ts';
import { userCreateCommand } from './user-commands.ts';

export type Command = {
  summary: string;
  options?: ParseArgsConfig['options'];
  /** The option one bare argument fills (`rapport import csv PATH` is `--path PATH`). */
  positional?: string;
  /** Resolves to the exit code; -1 keeps the process running (the server). */
  run(values: Record<string, string | boolean | undefined>, config: Config): Promise<number>;
};

export const commands: Record<string, Command> = {
  start: startCommand,
  migrate: migrateCommand,
  'user create': userCreateCommand,
  seed: seedCommand,
  backup: backupCommand,
  restore: restoreCommand,
  import: importCommand,
  ...importCommands,
  'import feedback': importFeedbackCommand,
  'import events': importEventsCommand,
  export: exportCommand,
  'kb import': kbImportCommand,
  'kb eval': kbEvalCommand,
  'intel eval': intelEvalCommand,
  'intel eval-sentiment': intelEvalSentimentCommand,
};
