import { and, desc, eq, lt, or } from 'drizzle-orm';
import { auditLog } from '../db/schema/index.ts';
import type { Actor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { forbidden } from '../platform/errors.ts';
import type { CreatedCursor } from '../platform/http/cursor.ts';

export type AuditEntry = typeof auditLog.$inferSelect;

export type NewAuditEntry = {
  workspaceId: string;
  actorUserId: string;
  method: string;
  route: string;
  targetId: string | null;
  status: number;
  requestId: string;
  details: Record<string, unknown>;
};

const SECRET_KEY = /pass(word)?|secret|token|key|credential/i;
const MAX_STRING = 500;

/** What an entry may keep of a request: values of secret-looking fields and long texts never are. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 4) return '…';
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => redact(item, depth + 1));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        SECRET_KEY.test(key) ? '[redacted]' : redact(item, depth + 1),
      ]),
    );
  return value;
}

export async function recordAudit(db: Db, entry: NewAuditEntry): Promise<void> {
  await db.insert(auditLog).values(entry);
}

/** The workspace's admin changes, newest first. Admins only. */
export async function listAudit(
  db: Db,
  actor: Actor,
  options: { limit: number; cursor?: CreatedCursor | undefined; actorUserId?: string | undefined },
): Promise<AuditEntry[]> {
  if (actor.role !== 'admin') throw forbidden('Only admins read the audit log');
  const { cursor } = options;
  return db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.workspaceId, actor.workspaceId),
        options.actorUserId ? eq(auditLog.actorUserId, options.actorUserId) : undefined,
        cursor
          ? or(
              lt(auditLog.createdAt, new Date(cursor.createdAt)),
              and(eq(auditLog.createdAt, new Date(cursor.createdAt)), lt(auditLog.id, cursor.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(options.limit);
}
