import { and, eq, inArray, sql } from 'drizzle-orm';
import { attachments, messagingMessages, messagingThreads } from '../db/schema/index.ts';
import { queryRows } from '../platform/db/database.ts';
import type { Deps } from '../platform/deps.ts';
import type { OutboxEvent } from '../platform/outbox/outbox.ts';
import type { OutboxHandler } from '../platform/outbox/relay.ts';
import { retryDelayMs } from '../webhooks/webhook-delivery.ts';
import { type AccountKind, openAccount } from './account-service.ts';
import { genericAdapter } from './generic-adapter.ts';
import type { MessagingAdapter, OutboundFile } from './messaging-types.ts';
import { telegramAdapter } from './telegram-adapter.ts';
import { whatsappAdapter } from './whatsapp-adapter.ts';

export const MESSAGING_CHANNEL = 'rapport_messaging';
export const MAX_SEND_ATTEMPTS = 10;
const LOCK_MS = 60_000;

const adapters: Partial<Record<AccountKind, MessagingAdapter>> = {
  generic: genericAdapter,
  whatsapp: whatsappAdapter,
  telegram: telegramAdapter,
};

type Payload = { ticket?: { id?: string; channel?: string }; message?: { id?: string; kind?: string } };

/**
 * Queues every public reply on a ticket that came from a messaging platform for delivery there, in the
 * relay's transaction (one row per message, so a replayed event queues nothing twice).
 */
export const messagingReplies: OutboxHandler = {
  name: 'messaging-replies',
  handles: (type) => type === 'message.created',
  async handle(tx, event: OutboxEvent) {
    const { ticket, message } = event.payload as Payload;
    if (ticket?.channel !== 'social' || message?.kind !== 'public_reply' || !ticket.id || !message.id) return;
    const [thread] = await tx
      .select({ id: messagingThreads.id, accountId: messagingThreads.accountId })
      .from(messagingThreads)
      .where(
        and(eq(messagingThreads.ticketId, ticket.id), eq(messagingThreads.workspaceId, event.workspaceId)),
      )
      .limit(1);
    if (!thread) return;
    const queued = await tx
      .insert(messagingMessages)
      .values({
        workspaceId: event.workspaceId,
        accountId: thread.accountId,
        threadId: thread.id,
        messageId: message.id,
        direction: 'outbound',
        status: 'pending',
      })
      .onConflictDoNothing()
      .returning({ id: messagingMessages.id });
    if (queued.length) await tx.execute(sql`SELECT pg_notify(${MESSAGING_CHANNEL}, '')`);
  },
};

type Claimed = {
  id: string;
  workspace_id: string;
  attempts: number;
  message_id: string;
  body_text: string;
  attachments: { name: string; url?: string }[] | null;
  thread_external_id: string;
  kind: AccountKind;
  account: {
    id: string;
    settings: Record<string, string>;
    secret_encrypted: string;
    token_encrypted: string | null;
  };
};

const fileId = /^\/api\/v1\/attachments\/([0-9a-f-]{36})$/;

/** The bytes of a reply's files, read from storage at each attempt (never kept in a queue row). */
async function replyFiles(
  deps: Pick<Deps, 'db' | 'storage'>,
  workspaceId: string,
  listed: { url?: string }[],
): Promise<OutboundFile[]> {
  const ids = listed.flatMap((file) => fileId.exec(file.url ?? '')?.[1] ?? []);
  if (ids.length === 0) return [];
  const rows = await deps.db
    .select()
    .from(attachments)
    .where(and(inArray(attachments.id, ids), eq(attachments.workspaceId, workspaceId)));
  const byId = new Map(rows.map((row) => [row.id, row]));
  const files: OutboundFile[] = [];
  for (const id of ids) {
    const row = byId.get(id);
    if (!row) continue;
    const chunks: Buffer[] = [];
    for await (const chunk of await deps.storage.get(row.storageKey)) chunks.push(Buffer.from(chunk));
    files.push({ name: row.name, contentType: row.contentType, bytes: Buffer.concat(chunks) });
  }
  return files;
}

export type MessagingSender = { start(): Promise<void>; stop(): Promise<void>; runDue(): Promise<number> };

/**
 * Sends queued replies through their platform's adapter: claimed with FOR UPDATE SKIP LOCKED and a
 * lease (no transaction open during the call), retried with the webhooks' backoff, given up after
 * MAX_SEND_ATTEMPTS. Wakes on NOTIFY, polls as a fallback.
 */
export function createMessagingSender(
  deps: Pick<Deps, 'db' | 'database' | 'clock' | 'config' | 'secretBox' | 'logger' | 'storage'>,
  options: { pollMs?: number; random?: () => number } = {},
): MessagingSender {
  const { db, clock, secretBox, logger } = deps;
  const reach = {
    timeoutMs: deps.config.RAPPORT_WEBHOOK_TIMEOUT_MS,
    allowPrivate: deps.config.RAPPORT_ALLOW_PRIVATE_TARGETS,
  };
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let unlisten: (() => Promise<void>) | undefined;

  const claim = () => {
    const now = clock.now().toISOString();
    const until = new Date(clock.now().getTime() + reach.timeoutMs + LOCK_MS).toISOString();
    return queryRows<Claimed>(
      db,
      sql`WITH due AS (
            SELECT mm.id FROM messaging_messages mm
            WHERE mm.status = 'pending' AND mm.direction = 'outbound' AND mm.next_attempt_at <= ${now}::timestamptz
              AND (mm.locked_until IS NULL OR mm.locked_until <= ${now}::timestamptz)
            ORDER BY mm.next_attempt_at LIMIT 20
            FOR UPDATE SKIP LOCKED
          )
          UPDATE messaging_messages mm SET locked_until = ${until}::timestamptz
          FROM due, messaging_threads t, channel_accounts a, messages m
          WHERE mm.id = due.id AND t.id = mm.thread_id AND a.id = mm.account_id AND m.id = mm.message_id
          RETURNING mm.id, mm.workspace_id, mm.attempts, mm.message_id, m.body_text, m.attachments,
            t.external_id AS thread_external_id, a.kind,
            jsonb_build_object('id', a.id, 'settings', a.settings, 'secret_encrypted', a.secret_encrypted,
              'token_encrypted', a.token_encrypted) AS account`,
    );
  };

  async function attempt(row: Claimed): Promise<{ externalId: string | null } | { error: string }> {
    try {
      const adapter = adapters[row.kind];
      if (!adapter) throw new Error(`No adapter sends ${row.kind} messages`);
      const account = openAccount(secretBox, {
        id: row.account.id,
        settings: row.account.settings,
        secretEncrypted: row.account.secret_encrypted,
        tokenEncrypted: row.account.token_encrypted,
      });
      const files = await replyFiles(deps, row.workspace_id, row.attachments ?? []);
      const reply = {
        threadId: row.thread_external_id,
        messageId: row.message_id,
        text: row.body_text,
        files,
      };
      return await adapter.send(account, reply, reach);
    } catch (error) {
      return { error: (error instanceof Error ? error.message : String(error)).slice(0, 500) };
    }
  }

  async function deliver(row: Claimed) {
    const outcome = await attempt(row);
    const attempts = row.attempts + 1;
    const giveUp = 'error' in outcome && attempts >= MAX_SEND_ATTEMPTS;
    await db
      .update(messagingMessages)
      .set({
        attempts,
        lockedUntil: null,
        updatedAt: sql`now()`,
        ...('error' in outcome
          ? {
              status: giveUp ? 'failed' : 'pending',
              lastError: outcome.error,
              nextAttemptAt: new Date(clock.now().getTime() + retryDelayMs(attempts, options.random)),
            }
          : { status: 'sent', externalId: outcome.externalId, lastError: null }),
      })
      .where(and(eq(messagingMessages.id, row.id), eq(messagingMessages.attempts, row.attempts)));
    if (giveUp)
      logger.warn({ messagingMessageId: row.id, error: outcome.error }, 'messaging delivery gave up');
  }

  async function runDue() {
    let total = 0;
    for (;;) {
      const batch = await claim();
      await Promise.all(batch.map(deliver));
      total += batch.length;
      if (batch.length < 20) return total;
    }
  }

  async function run() {
    while (running) {
      await runDue().catch((error: unknown) =>
        logger.error({ err: error }, 'messaging delivery failed; retrying'),
      );
      if (!running) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.pollMs ?? 2000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  return {
    async start() {
      if (running) return;
      running = true;
      unlisten = await deps.database.listen(MESSAGING_CHANNEL, () => wake?.());
      loop = run();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      await unlisten?.();
    },
    runDue,
  };
}
