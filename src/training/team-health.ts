// Team health from raw counts: workload, after-hours work, difficult conversations and the trend, with
// a flag where an agent looks overloaded. Pure; team-health-service.ts gathers the counts.
import type { WeeklyHours } from '../automation/business-time.ts';

export type ReplyBucket = {
  agentId: string;
  /** 0 is Sunday, in the schedule's time zone. */
  dow: number;
  /** HH:MM wall-clock time in the schedule's time zone. */
  time: string;
  week: string;
  current: boolean;
  replies: number;
};
export type AgentHealth = {
  agentId: string;
  name: string;
  openTickets: number;
  replies: number;
  repliesPerDay: number;
  afterHoursReplies: number;
  afterHoursShare: number;
  ticketsHandled: number;
  difficultHandled: number;
  difficultShare: number;
  /** Replies against the window before, in percent; null when there were none before. */
  trend: number | null;
  weekly: { week: string; replies: number }[];
  overloaded: boolean;
  reasons: string[];
};

/** An agent with this many times the team's median open tickets, or this after-hours share, is flagged. */
export const OVERLOAD_FACTOR = 1.5;
export const AFTER_HOURS_LIMIT = 0.3;
export const DIFFICULT_LIMIT = 0.5;

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Whether a wall-clock weekday and time fall inside the weekly hours (holidays aside). */
export function withinHours(hours: WeeklyHours[], dow: number, time: string): boolean {
  return hours.some((h) => h.day === dow && h.start <= time && time < h.end);
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function teamHealth(input: {
  agents: { id: string; name: string }[];
  openTickets: Map<string, number>;
  buckets: ReplyBucket[];
  /** Per agent: the tickets they replied on in the window, and those with a negative customer message. */
  handled: Map<string, { tickets: number; difficult: number }>;
  hours: WeeklyHours[];
  days: number;
}): { agents: AgentHealth[]; team: { medianOpenTickets: number; replies: number; afterHoursShare: number } } {
  const medianOpen = median(input.agents.map((a) => input.openTickets.get(a.id) ?? 0));
  const agents = input.agents.map((agent) => {
    const mine = input.buckets.filter((b) => b.agentId === agent.id);
    const current = mine.filter((b) => b.current);
    const replies = current.reduce((n, b) => n + b.replies, 0);
    const before = mine.filter((b) => !b.current).reduce((n, b) => n + b.replies, 0);
    const afterHours = current
      .filter((b) => !withinHours(input.hours, b.dow, b.time))
      .reduce((n, b) => n + b.replies, 0);
    const weeks = new Map<string, number>();
    for (const b of current) weeks.set(b.week, (weeks.get(b.week) ?? 0) + b.replies);
    const handled = input.handled.get(agent.id) ?? { tickets: 0, difficult: 0 };
    const open = input.openTickets.get(agent.id) ?? 0;
    const afterHoursShare = replies ? round(afterHours / replies) : 0;
    const difficultShare = handled.tickets ? round(handled.difficult / handled.tickets) : 0;
    const reasons: string[] = [];
    if (medianOpen > 0 && open >= OVERLOAD_FACTOR * medianOpen && open > medianOpen)
      reasons.push(`${open} open tickets against a team median of ${medianOpen}`);
    if (afterHoursShare >= AFTER_HOURS_LIMIT)
      reasons.push(`${Math.round(afterHoursShare * 100)}% of replies after hours`);
    if (difficultShare >= DIFFICULT_LIMIT && handled.tickets >= 4)
      reasons.push(`${Math.round(difficultShare * 100)}% of conversations were difficult`);
    return {
      agentId: agent.id,
      name: agent.name,
      openTickets: open,
      replies,
      repliesPerDay: round(replies / Math.max(1, input.days), 1),
      afterHoursReplies: afterHours,
      afterHoursShare,
      ticketsHandled: handled.tickets,
      difficultHandled: handled.difficult,
      difficultShare,
      trend: before ? Math.round((100 * (replies - before)) / before) : null,
      weekly: [...weeks].sort(([a], [b]) => (a < b ? -1 : 1)).map(([week, n]) => ({ week, replies: n })),
      overloaded: reasons.length > 0,
      reasons,
    };
  });
  const replies = agents.reduce((n, a) => n + a.replies, 0);
  const afterHours = agents.reduce((n, a) => n + a.afterHoursReplies, 0);
  return {
    agents,
    team: {
      medianOpenTickets: medianOpen,
      replies,
      afterHoursShare: replies ? round(afterHours / replies) : 0,
    },
  };
}
