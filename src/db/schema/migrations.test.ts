import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDrizzleJson, generateMigration } from 'drizzle-kit/api';
import { expect, it } from 'vitest';
import * as schema from './index.ts';

const drizzleDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../drizzle');

it('has committed migrations that match the schema exactly', async () => {
  const snapshots = readdirSync(path.join(drizzleDir, 'meta'))
    .filter((name) => name.endsWith('_snapshot.json'))
    .sort();
  const latest = JSON.parse(readFileSync(path.join(drizzleDir, 'meta', snapshots.at(-1)!), 'utf8'));
  const current = generateDrizzleJson(schema as Record<string, unknown>, latest.id);
  const pending = await generateMigration(latest, current);
  expect(pending, 'schema changed without a migration: run npm run db:generate').toEqual([]);
});
