import { openDatabase } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';

/** Migrates real PostgreSQL once before the workers start, and says plainly when it is not tested. */
export default async function setup() {
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
