import { and, eq, sql } from 'drizzle-orm';
import { emailMailboxes } from '../db/schema/index.ts';
import { queryRows } from '../platform/db/database.ts';
import type { Deps } from '../platform/deps.ts';
import { ImapSessionError, readNewMessages, type SessionOptions } from './imap-session.ts';
import type { IntakeInput, IntakeResult } from './inbound-types.ts';

export type Intake = (input: IntakeInput) => Promise<IntakeResult>;

export type ImapPollerDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'secretBox' | 'logger'>;

export type ImapPollerOptions = {
  intake: Intake;
  /** Mailboxes polled at once by this node. */
  concurrency?: number;
  batchSize?: number;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  /** How long a claim holds without progress; every message taken renews it. */
  leaseMs?: number;
  /** Serve one workspace only (tests, so they leave other test files' mailboxes alone). */
  workspaceId?: string;
};

/** What one poll of one mailbox did. `error` is what an admin reads in last_error. */
export type PollOutcome = {
  taken: number;
  counts: Record<IntakeResult['status'], number>;
  skipped: number;
  error: string | null;
};

export type ClaimedMailbox = {
  id: string;
  workspace_id: string;
  host: string;
  port: number;
  secure: boolean;
  username: string;
  password_encrypted: string;
  folder: string;
  team_id: string | null;
  uid_validity: string | number | bigint | null;
  last_uid: string | number | bigint;
  locked_until: Date | string;
};

/** The claim was taken over (it expired while this node was stuck): stop without writing more. */
class LeaseLost extends Error {}

/** The intake could not store a message: the cursor stays before it and the next poll retries. */
class IntakeFailed extends Error {}

const BATCH_BYTES = 32 * 1024 * 1024;

export type ImapPoller = {
  start(): void;
  /** Stops polling; a poll in flight ends after the message it is on, and stop() waits for it. */
  stop(): Promise<void>;
  /** Polls every due mailbox now; resolves to how many mailboxes were polled. */
  runDue(): Promise<number>;
  /** Claims one mailbox (due or not) and polls it; null when another poll holds it right now. */
  pollNow(workspaceId: string, mailboxId: string): Promise<PollOutcome | null>;
};

/**
 * Polls IMAP mailboxes into the intake. Mailboxes are claimed with FOR UPDATE SKIP LOCKED in one
 * statement that sets locked_until, so several worker nodes never poll one mailbox at once, no
 * transaction stays open during IMAP work, and a crashed node's claim simply expires. last_uid moves
 * only after the intake resolved for that message, so a message is never acknowledged and lost.
 */
export function createImapPoller(deps: ImapPollerDeps, options: ImapPollerOptions): ImapPoller {
  const { db, clock, config, secretBox, logger } = deps;
  const intervalMs = config.RAPPORT_IMAP_POLL_SECONDS * 1000;
  const concurrency = options.concurrency ?? 4;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const session: Omit<SessionOptions, 'shouldStop'> = {
    allowPrivate: config.RAPPORT_ALLOW_PRIVATE_TARGETS,
    connectTimeoutMs: options.connectTimeoutMs ?? 15_000,
    commandTimeoutMs: options.commandTimeoutMs ?? 120_000,
    batchSize: options.batchSize ?? 25,
    batchBytes: BATCH_BYTES,
    maxMessageBytes: config.RAPPORT_SMTP_MAX_BYTES,
  };
  let running = false;
  let stopping = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;

  const leaseFrom = (now: Date) => new Date(now.getTime() + leaseMs);

  async function claim(one?: { workspaceId: string; mailboxId: string }): Promise<ClaimedMailbox[]> {
    const now = clock.now().toISOString();
    // A little slack, so a mailbox polled at the end of the last tick is due at the start of this one.
    const dueBefore = new Date(clock.now().getTime() - intervalMs * 0.9).toISOString();
    const which = one
      ? sql`id = ${one.mailboxId} AND workspace_id = ${one.workspaceId}`
      : sql`active AND (last_polled_at IS NULL OR last_polled_at <= ${dueBefore}::timestamptz)
            ${options.workspaceId ? sql`AND workspace_id = ${options.workspaceId}` : sql``}`;
    return queryRows<ClaimedMailbox>(
      db,
      sql`WITH due AS (
            SELECT id FROM email_mailboxes
            WHERE ${which} AND (locked_until IS NULL OR locked_until <= ${now}::timestamptz)
            ORDER BY last_polled_at NULLS FIRST, id
            LIMIT ${one ? 1 : concurrency}
            FOR UPDATE SKIP LOCKED
          )
          UPDATE email_mailboxes m SET locked_until = ${leaseFrom(clock.now()).toISOString()}::timestamptz
          FROM due WHERE m.id = due.id
          RETURNING m.id, m.workspace_id, m.host, m.port, m.secure, m.username, m.password_encrypted,
            m.folder, m.team_id, m.uid_validity, m.last_uid, m.locked_until`,
    );
  }

  async function poll(mailbox: ClaimedMailbox): Promise<PollOutcome> {
    const startedAt = clock.now();
    let lease = new Date(mailbox.locked_until);
    const outcome: PollOutcome = {
      taken: 0,
      counts: { stored: 0, duplicate: 0, bounce: 0, quarantined: 0 },
      skipped: 0,
      error: null,
    };
    const notes: string[] = [];

    // Every write carries the lease: it proves this node still holds the mailbox and renews it.
    async function advance(values: Partial<typeof emailMailboxes.$inferInsert>) {
      const renewed = leaseFrom(clock.now());
      const rows = await db
        .update(emailMailboxes)
        .set({ ...values, lockedUntil: renewed })
        .where(and(eq(emailMailboxes.id, mailbox.id), eq(emailMailboxes.lockedUntil, lease)))
        .returning({ id: emailMailboxes.id });
      if (rows.length === 0) throw new LeaseLost();
      lease = renewed;
    }

    let password: string;
    try {
      password = secretBox.open(mailbox.password_encrypted);
    } catch {
      outcome.error = 'Cannot decrypt the stored password (was the secret key changed?); set it again';
      await finish(mailbox.id, lease, startedAt, outcome.error);
      return outcome;
    }
    try {
      await readNewMessages(
        {
          host: mailbox.host,
          port: mailbox.port,
          secure: mailbox.secure,
          username: mailbox.username,
          password,
          folder: mailbox.folder,
        },
        {
          uidValidity: mailbox.uid_validity === null ? null : Number(mailbox.uid_validity),
          lastUid: Number(mailbox.last_uid),
        },
        { ...session, shouldStop: () => stopping },
        {
          async restart(uidValidity) {
            if (mailbox.uid_validity !== null)
              logger.warn(
                { mailboxId: mailbox.id, uidValidity },
                'IMAP UIDVALIDITY changed; reading the folder again',
              );
            await advance({ uidValidity, lastUid: 0 });
          },
          async take(uid, raw) {
            let result: IntakeResult;
            try {
              result = await options.intake({
                raw,
                source: 'imap',
                workspaceId: mailbox.workspace_id,
                teamId: mailbox.team_id,
              });
            } catch (error) {
              throw new IntakeFailed(
                `Could not store message UID ${uid}; it is retried on the next poll (${error instanceof Error ? error.message : String(error)})`,
              );
            }
            outcome.counts[result.status]++;
            outcome.taken++;
            await advance({ lastUid: uid });
          },
          async skip(uid, size) {
            notes.push(
              `Message UID ${uid} (${Math.ceil(size / 1024 / 1024)} MB) is over the size limit and was left in the mailbox`,
            );
            outcome.skipped++;
            await advance({ lastUid: uid });
          },
        },
      );
    } catch (error) {
      if (error instanceof LeaseLost) {
        logger.warn({ mailboxId: mailbox.id }, 'IMAP poll lost its claim to another node; stopping');
        outcome.error = 'Another poll took this mailbox over';
        return outcome;
      }
      if (error instanceof ImapSessionError || error instanceof IntakeFailed)
        outcome.error = error.message.slice(0, 500);
      else {
        logger.error({ err: error, mailboxId: mailbox.id }, 'IMAP poll failed');
        outcome.error = 'Internal error while polling; see the server log';
      }
    }
    const recorded = outcome.error ?? (notes.length ? notes.join('; ').slice(0, 500) : null);
    await finish(mailbox.id, lease, startedAt, recorded);
    if (outcome.error) logger.warn({ mailboxId: mailbox.id, error: outcome.error }, 'IMAP poll failed');
    return { ...outcome, error: recorded };
  }

  async function finish(id: string, lease: Date, startedAt: Date, error: string | null) {
    try {
      await db
        .update(emailMailboxes)
        .set({ lockedUntil: null, lastPolledAt: startedAt, lastError: error })
        .where(and(eq(emailMailboxes.id, id), eq(emailMailboxes.lockedUntil, lease)));
    } catch (err) {
      // The claim expires by itself; the next poll starts from the last UID recorded.
      logger.error({ err, mailboxId: id }, 'could not record an IMAP poll');
    }
  }

  async function runDue(): Promise<number> {
    let total = 0;
    for (;;) {
      if (stopping) return total;
      const claimed = await claim();
      await Promise.all(claimed.map(poll));
      total += claimed.length;
      if (claimed.length < concurrency) return total;
    }
  }

  async function run() {
    while (running) {
      try {
        await runDue();
      } catch (error) {
        logger.error({ err: error }, 'IMAP polling failed; retrying');
      }
      if (!running) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, intervalMs);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeUp = undefined;
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      stopping = false;
      loop = run();
    },
    async stop() {
      running = false;
      stopping = true;
      wakeUp?.();
      await loop;
      loop = undefined;
    },
    runDue,
    async pollNow(workspaceId, mailboxId) {
      const [mailbox] = await claim({ workspaceId, mailboxId });
      return mailbox ? poll(mailbox) : null;
    },
  };
}
