// The signals that pre-score a solved ticket, from the same reply coach the simulator uses. Pure.
import { checkReply, replySignals, upsetSignals } from '../intel/coach-engine.ts';
import type { CoachRules } from '../intel/coach-rules.ts';
import type { QaSignal } from './qa-rubric.ts';

export type QaMessage = {
  kind: 'customer_message' | 'public_reply' | 'internal_note';
  text: string;
  at: Date;
};

/** A first reply within this many hours scores full marks; after FIRST_REPLY_SLOW_HOURS, none. */
const FIRST_REPLY_FAST_HOURS = 1;
const FIRST_REPLY_SLOW_HOURS = 24;

const share = (hits: number, of: number) => (of === 0 ? 1 : hits / of);

/** Each signal 0..1; signals that cannot be told (no agent reply) are left out. */
export function ticketSignals(
  messages: QaMessage[],
  status: string,
  rules: CoachRules,
): Partial<Record<QaSignal, number>> {
  const thread = messages.filter((m) => m.kind !== 'internal_note');
  const replies = thread.flatMap((m, i) => {
    if (m.kind !== 'public_reply') return [];
    const customer = thread
      .slice(0, i)
      .reverse()
      .find((x) => x.kind === 'customer_message');
    return [{ text: m.text, at: m.at, customer }];
  });
  if (replies.length === 0) return {};
  const toUpset = replies.filter((r) => r.customer && upsetSignals(r.customer.text, rules).length > 0);
  const signals = replies.map((r) => replySignals(r.text, rules));
  const clarity =
    replies.reduce((sum, r) => {
      const penalty = checkReply({ text: r.text }, rules)
        .flags.filter((f) => f.rule === 'jargon' || f.rule === 'reading_level' || f.rule === 'style')
        .reduce((p, f) => p + f.penalty, 0);
      return sum + Math.max(0, 100 - 2 * penalty) / 100;
    }, 0) / replies.length;
  const firstCustomer = thread.find((m) => m.kind === 'customer_message');
  const first = replies[0]!;
  const hours = firstCustomer ? (first.at.getTime() - firstCustomer.at.getTime()) / 3_600_000 : 0;
  const speed = 1 - (hours - FIRST_REPLY_FAST_HOURS) / (FIRST_REPLY_SLOW_HOURS - FIRST_REPLY_FAST_HOURS);
  const last = thread.at(-1)!;
  return {
    empathy: share(toUpset.filter((r) => replySignals(r.text, rules).empathy).length, toUpset.length),
    clarity,
    next_step: share(signals.filter((s) => s.nextStep || s.timeFrame).length, signals.length),
    blame_free: signals.some((s) => s.blame.length > 0) ? 0 : 1,
    first_reply_time: Math.max(0, Math.min(1, speed)),
    // Solved with the agent's word last: the customer did not come back unhappy.
    resolution: status === 'solved' || status === 'closed' ? (last.kind === 'public_reply' ? 1 : 0.5) : 0,
  };
}
