import { BackupError, backup, restore } from '../platform/backup/backup.ts';
import { CliError } from './cli-error.ts';
import type { Command } from './commands.ts';

const asCliError = (error: unknown): never => {
  if (error instanceof BackupError) throw new CliError(error.message);
  throw error;
};

export const backupCommand: Command = {
  summary: 'Back up the database, attachments and secret key into a new folder: --out DIR',
  options: { out: { type: 'string' } },
  async run(values, config) {
    const out = values.out as string | undefined;
    if (!out) throw new CliError('--out must name a new folder for the backup');
    const manifest = await backup(config, out).catch(asCliError);
    console.log(`Backed up ${manifest.database} (${manifest.migrations.length} migrations) to ${out}`);
    if (manifest.attachmentStore)
      console.log(
        `Attachments stay in ${manifest.attachmentStore}: back that store up with its own tools (bucket versioning or replication).`,
      );
    if (manifest.secretKey)
      console.log('The folder holds the secret key: store it as carefully as the database.');
    return 0;
  },
};

export const restoreCommand: Command = {
  summary: 'Restore a backup made by "rapport backup": --from DIR [--force]',
  options: { from: { type: 'string' }, force: { type: 'boolean', default: false } },
  async run(values, config) {
    const from = values.from as string | undefined;
    if (!from) throw new CliError('--from must name a backup folder');
    const manifest = await restore(config, from, { force: values.force === true }).catch(asCliError);
    console.log(
      `Restored the ${manifest.database} backup of ${manifest.createdAt}. Start Rapport to use it.`,
    );
    return 0;
  },
};
