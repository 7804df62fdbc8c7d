import path from 'node:path';
import { ensureWidgetBuilt } from '../chat/widget-build.ts';
import { ensureConsoleBuilt } from '../console/console-build.ts';
import type { Config } from '../platform/config.ts';
import { lockDataDir } from '../platform/db/data-dir-lock.ts';
import { openDatabase } from '../platform/db/database.ts';
import { migrate } from '../platform/db/migrate.ts';
import { startRapport } from '../server.ts';
import type { Command } from './commands.ts';

/** Opens the configured database for a one-off command, refusing while a server holds PGlite's data dir. */
export async function withDatabase<T>(
  config: Config,
  work: (database: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>,
): Promise<T> {
  const release = config.DATABASE_URL ? () => {} : lockDataDir(config.dataDir);
  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.DATABASE_URL ? undefined : path.join(config.dataDir, 'pglite'),
    poolSize: 2,
  });
  try {
    await migrate(database.db);
    return await work(database);
  } finally {
    await database.close();
    release();
  }
}

export const startCommand: Command = {
  summary: 'Run the server (web, worker and smtp roles unless RAPPORT_ROLES says otherwise)',
  async run(_values, config) {
    await ensureConsoleBuilt((line) => console.log(line));
    await ensureWidgetBuilt((line) => console.log(line));
    const running = await startRapport(config);
    const where = config.DATABASE_URL
      ? 'PostgreSQL'
      : `embedded PostgreSQL (PGlite) in ${path.join(config.dataDir, 'pglite')}`;
    const lines = [``, `Rapport is running at ${running.url} on ${where}.`];
    if (running.smtpPort !== undefined)
      lines.push(
        `Inbound mail: SMTP on ${config.RAPPORT_SMTP_HOST}:${running.smtpPort} (RAPPORT_SMTP_PORT).`,
      );
    if (running.firstAdmin) {
      lines.push(`First start: a workspace and an admin were created.`);
      lines.push(`  Sign in at ${running.url} as ${running.firstAdmin.email}`);
      lines.push(
        running.firstAdmin.password
          ? `  with the password ${running.firstAdmin.password}  (shown only now; change it after signing in)`
          : `  with the password from RAPPORT_ADMIN_PASSWORD.`,
      );
      lines.push(
        `  For demo data: press "Load demo data" in the inbox (or stop the server; ./bin/rapport seed --demo)`,
      );
    }
    console.log(`${lines.join('\n')}\n`);
    const shutdown = async (signal: string) => {
      console.log(`Received ${signal}; shutting down`);
      await running.stop();
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    return -1;
  },
};

export const migrateCommand: Command = {
  summary: 'Apply pending database migrations and exit',
  async run(_values, config) {
    await withDatabase(config, async () => {});
    console.log('Migrations are up to date.');
    return 0;
  },
};
