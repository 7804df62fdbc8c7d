// Mutated and random mail thrown at the email intake with a fixed seed, so a failure replays. Whatever
// arrives, intake resolves to an outcome (never throws while the database is up), what it reports is what
// was written (no half-stored message), and the pipeline keeps taking good mail afterwards.
import { readdirSync, readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { inboundEmails, messages, tickets } from '../../src/db/schema/index.ts';
import { createSupportAddress } from '../../src/email/address-service.ts';
import { readInboundCounts } from '../../src/email/inbound-counters.ts';
import { intakeEmail } from '../../src/email/inbound-intake.ts';
import type { Deps } from '../../src/platform/deps.ts';
import { describeEachDatabase, sharedDatabase } from '../support/databases.ts';
import { composeEmail, uniqueAddress } from '../support/email.ts';
import { makeWorkspace } from '../support/factories.ts';
import { testDeps } from '../support/http.ts';

const SEED = 20261204;
const RUNS = 60;

/** Seeds to mutate: the shared real-world sample when present, and messages of our own. */
async function seedMessages(to: string): Promise<Buffer[]> {
  const own = [
    await composeEmail({ from: 'a@example.test', to, subject: 'Plain', text: 'hello' }),
    await composeEmail({
      from: '"Ünïcødé" <u@example.test>',
      to,
      cc: 'c@example.test',
      subject: 'Ünïcødé Ω',
      html: '<p>hi<img src="cid:x@y"></p>',
      attachments: [{ filename: 'a.png', content: Buffer.alloc(64, 9), cid: 'x@y' }],
    }),
  ];
  const dir = new URL('../../../shared/data/emails-sample/', import.meta.url);
  try {
    return [
      ...own,
      ...readdirSync(dir)
        .filter((n) => n.endsWith('.eml'))
        .map((n) => readFileSync(new URL(n, dir))),
    ];
  } catch {
    console.log(
      '[rapport tests] ../shared/data/emails-sample is absent: fuzzing from our own messages only.',
    );
    return own;
  }
}

const hostileHeaders = fc.constantFrom(
  'Content-Type: multipart/mixed; boundary=""\r\n',
  'Content-Type: multipart/alternative; boundary="x"\r\n\r\n--x\r\n--x\r\n--x--\r\n',
  'Content-Transfer-Encoding: base64\r\n\r\n====!!!!\r\n',
  'Subject: =?utf-8?B?////?=\r\n',
  'From: <>\r\n',
  'From: "unterminated <x@y\r\n',
  'References: <a> <b> <c> <<<>>>\r\n',
  'In-Reply-To: \u0000\r\n',
  `Subject: ${'='.repeat(5000)}\r\n`,
  'Content-Type: text/plain; charset=x-unknown-charset\r\n\r\n\u00ff\u00fe\r\n',
  'Auto-Submitted: auto-replied\r\n',
  'Content-Type: multipart/report; report-type=delivery-status; boundary=r\r\n\r\n--r\r\nMessage-ID: <x@y>\r\n',
);

/** A mutation of a seed: cut, spliced with junk bytes, a hostile header put in, lines shuffled. */
const mutation = (seeds: Buffer[]) =>
  fc
    .record({
      seed: fc.nat({ max: seeds.length - 1 }),
      cut: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
      junk: fc.option(fc.uint8Array({ maxLength: 300 })),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      header: fc.option(hostileHeaders),
      swapLines: fc.boolean(),
    })
    .map(({ seed, cut, junk, at, header, swapLines }) => {
      let raw = Buffer.from(seeds[seed]!);
      if (cut !== null) raw = raw.subarray(0, Math.floor(raw.length * cut));
      if (swapLines) {
        const lines = raw.toString('latin1').split('\r\n');
        const i = Math.floor(at * lines.length);
        [lines[0], lines[i]] = [lines[i] ?? '', lines[0] ?? ''];
        raw = Buffer.from(lines.join('\r\n'), 'latin1');
      }
      const where = Math.floor(raw.length * at);
      const extra = Buffer.concat([Buffer.from(header ?? '', 'latin1'), Buffer.from(junk ?? [])]);
      return Buffer.concat([raw.subarray(0, where), extra, raw.subarray(where)]);
    });

describeEachDatabase('email intake fuzzing', (kind) => {
  let deps: Deps;
  beforeAll(async () => {
    deps = testDeps(await sharedDatabase(kind), { env: { RAPPORT_EMAIL_SENDER_LIMIT: '1000' } });
  });

  it('takes every mutated or random message to an outcome it wrote in full, and keeps taking mail', async () => {
    const { db } = deps;
    const { workspace, admin } = await makeWorkspace(db);
    const { address } = await createSupportAddress(db, admin.actor, { address: uniqueAddress() });
    const seeds = await seedMessages(address);
    const inputs = fc.oneof(
      { weight: 4, arbitrary: mutation(seeds) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)) },
    );
    const outcomes: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(inputs, fc.boolean(), async (raw, viaEnvelope) => {
        const result = await intakeEmail(deps, {
          raw,
          source: viaEnvelope ? 'smtp' : 'api',
          workspaceId: workspace.id,
          ...(viaEnvelope && { envelopeFrom: 'fuzz@example.test', recipients: [address] }),
        });
        outcomes[result.status] = (outcomes[result.status] ?? 0) + 1;
        if (result.status === 'stored') {
          const [message] = await db.select().from(messages).where(eq(messages.id, result.messageId));
          expect(message?.ticketId).toBe(result.ticketId);
          const kept = await db
            .select({ raw: inboundEmails.raw })
            .from(inboundEmails)
            .where(and(eq(inboundEmails.messageId, result.messageId), eq(inboundEmails.status, 'stored')));
          expect(kept[0]?.raw.equals(raw)).toBe(true);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    const counts = await readInboundCounts(db, workspace.id);
    expect(counts.received).toBe(RUNS);
    expect(counts.stored + counts.duplicates + counts.quarantined).toBe(RUNS);
    const rows = await db
      .select({ id: inboundEmails.id })
      .from(inboundEmails)
      .where(eq(inboundEmails.workspaceId, workspace.id));
    expect(rows.length).toBe(counts.stored + counts.quarantined);
    // Nothing the fuzzing did stops good mail.
    const after = await intakeEmail(deps, {
      raw: await composeEmail({ from: 'after@example.test', to: address, subject: 'Still fine', text: 'ok' }),
      source: 'smtp',
      recipients: [address],
    });
    expect(after.status).toBe('stored');
    const ticketsMade = await db
      .select({ id: tickets.id })
      .from(tickets)
      .where(eq(tickets.workspaceId, workspace.id));
    expect(ticketsMade.length).toBeGreaterThan(0);
    expect(Object.keys(outcomes).length).toBeGreaterThan(1);
  });
});
