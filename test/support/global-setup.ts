import { ensureWidgetBuilt } from '../../src/chat/widget-build.ts';
import { ensureConsoleBuilt } from '../../src/console/console-build.ts';
import { openDatabase } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';

/**
 * Builds the console when its sources changed (browser tests load it), migrates real PostgreSQL once
 * before the workers start, and says plainly when PostgreSQL is not tested.
 */
export default async function setup() {
  await ensureConsoleBuilt((line) => console.log(`[rapport tests] ${line}`));
  await ensureWidgetBuilt((line) => console.log(`[rapport tests] ${line}`));
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    if (process.env.REQUIRE_POSTGRES === '1')
      throw new Error('REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set');
    console.log('[rapport tests] TEST_DATABASE_URL is not set: database tests run on PGlite only.');
    return;
  }
  const database = await openDatabase({ url, poolSize: 2 });
  await migrate(database.db);
  await database.close();
}
