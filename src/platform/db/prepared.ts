import { createHash } from 'node:crypto';
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from './database.ts';

const dialect = new PgDialect();

export type PreparedStatement = {
  /** Runs the statement with its placeholders filled from `values`; resolves to the rows it returned. */
  rows<T>(db: Db, values: Record<string, unknown>): Promise<T[]>;
};

/**
 * A statement built once and named after its text, so PostgreSQL parses and plans it once per
 * connection instead of on every call, and we skip rebuilding its text: on the busiest write path the
 * two cost more than running it. What varies between calls must be a `sql.placeholder(name)`.
 */
export function preparedStatement(statement: SQL): PreparedStatement {
  const query = dialect.sqlToQuery(statement);
  const name = `rapport_${createHash('sha1').update(query.sql).digest('hex').slice(0, 20)}`;
  return {
    async rows<T>(db: Db, values: Record<string, unknown>): Promise<T[]> {
      const prepared = db._.session.prepareQuery(query, undefined, name, false);
      const result = (await prepared.execute(values)) as unknown as { rows: T[] };
      return result.rows;
    },
  };
}
