import type { MessageKind } from '../tickets/message-service.ts';
import type { TicketStatus } from '../tickets/ticket-counts.ts';
import type { Channel, Priority } from '../tickets/ticket-service.ts';
import {
  demoAgents,
  demoCarriers,
  demoCustomers,
  demoDiscountCodes,
  demoProducts,
  demoShop,
  type TeamKey,
} from './demo-data.ts';
import { commonLines, demoTopics, type Thread, type Topic } from './demo-topics.ts';

export const DEMO_TICKETS = 300;
export const DEMO_DAYS = 60;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** mulberry32: small and fast; the same seed gives the same demo on every machine. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    weighted<T>(items: readonly T[], weight: (item: T) => number): T {
      const total = items.reduce((sum, item) => sum + weight(item), 0);
      let left = next() * total;
      for (const item of items) {
        left -= weight(item);
        if (left < 0) return item;
      }
      return items.at(-1)!;
    },
    digits: (pattern: string) => pattern.replace(/#/g, () => String(int(0, 9))),
  };
}

export type Random = ReturnType<typeof createRandom>;

// One independent stream per ticket: a ticket's subject and story never depend on how many numbers
// other tickets drew, nor on the current time.
const streamSeed = (seed: number, index: number) => {
  let h = (seed + Math.imul(index + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};

export type PlannedPatch = {
  assignee?: number;
  team?: TeamKey;
  priority?: Priority;
  status?: TicketStatus;
  addTags?: string[];
};

/** `agent` indexes demoAgents; null is the customer. */
export type PlannedStep =
  | {
      type: 'message';
      at: Date;
      kind: MessageKind;
      body: string;
      agent: number | null;
      status?: TicketStatus;
    }
  | { type: 'update'; at: Date; agent: number; patch: PlannedPatch };

export type PlannedTicket = {
  topic: string;
  subject: string;
  /** Index into demoCustomers. */
  customer: number;
  channel: Channel;
  priority: Priority;
  tags: string[];
  team: TeamKey | null;
  body: string;
  createdAt: Date;
  steps: PlannedStep[];
  /** The status the steps lead to. */
  status: TicketStatus;
};

export type DemoPlan = { tickets: PlannedTicket[]; customerSince: Date[] };

const channelWeights: [Channel, number][] = [
  ['email', 38],
  ['chat', 22],
  ['web', 15],
  ['api', 10],
  ['phone', 8],
  ['social', 7],
];
const priorities: Priority[] = ['low', 'normal', 'high', 'urgent'];

/** Older tickets are mostly settled; the last days hold the open work. */
function statusFor(random: Random, ageDays: number): TicketStatus {
  const table: [TicketStatus, number][] =
    ageDays >= 12
      ? [
          ['closed', 90],
          ['solved', 7],
          ['on_hold', 2],
          ['pending', 1],
        ]
      : ageDays >= 4
        ? [
            ['closed', 35],
            ['solved', 38],
            ['open', 11],
            ['pending', 9],
            ['on_hold', 7],
          ]
        : ageDays >= 1
          ? [
              ['solved', 33],
              ['open', 25],
              ['pending', 20],
              ['on_hold', 7],
              ['new', 15],
            ]
          : [
              ['new', 40],
              ['open', 25],
              ['pending', 15],
              ['solved', 20],
            ];
  return random.weighted(table, ([, weight]) => weight)[0];
}

/**
 * Each flow is the order of events in one ticket: C the customer opens it, B they chase, A an agent
 * takes it, N internal note, R/Rp/Rs the first reply (leaving it open, pending or solved), F the
 * customer answers, P a progress reply, S the resolving reply, H the reply that puts it on hold, X closing.
 */
const flows: Record<Exclude<TicketStatus, 'closed'>, string[]> = {
  new: ['C', 'C B', 'C N'],
  open: ['C A R F', 'C A N R', 'C A Rp F N', 'C B A Rp F'],
  pending: ['C A Rp', 'C A N Rp', 'C A Rp F P'],
  on_hold: ['C A N H', 'C A Rp F N H'],
  solved: ['C A Rp F S', 'C A N Rp F S', 'C B A Rp F S', 'C A N Rp F P S'],
};

function flowFor(random: Random, status: TicketStatus, topic: Topic): string[] {
  const settled = status === 'solved' || status === 'closed';
  const oneReply = settled && random.chance(topic.quick ? 0.55 : 0.15);
  const flow = oneReply ? 'C A Rs' : random.pick(flows[status === 'closed' ? 'solved' : status]);
  return `${flow}${status === 'closed' ? ' X' : ''}`.split(' ');
}

/** Minutes between one event and the next; chat moves in minutes, the other channels in hours. */
function gapMinutes(random: Random, token: string, previous: string, live: boolean): number {
  switch (token) {
    case 'B':
      return live ? random.int(3, 8) : random.int(8 * 60, 26 * 60);
    case 'A':
      return live ? random.int(1, 3) : random.chance(0.6) ? random.int(10, 240) : random.int(240, 1200);
    case 'N':
      return live ? random.int(1, 3) : random.int(3, 45);
    case 'R':
    case 'Rp':
    case 'Rs':
      return previous === 'A'
        ? live
          ? random.int(1, 3)
          : random.int(2, 25)
        : live
          ? random.int(1, 4)
          : random.int(10, 90);
    case 'F':
      return live ? random.int(1, 6) : random.int(45, 1800);
    case 'X':
      return random.int(3 * 24 * 60, 5 * 24 * 60);
    default:
      return live ? random.int(1, 8) : random.int(30, 720);
  }
}

const fill = (text: string, vars: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (whole, key: string) => vars[key] ?? whole);

function productsFor(kind: Topic['product']) {
  if (kind === 'fragile') return demoProducts.filter((p) => p.fragile);
  if (kind === 'sized') return demoProducts.filter((p) => (p.sizes?.length ?? 0) >= 2);
  return demoProducts;
}

function agentsFor(team: TeamKey | null): number[] {
  return demoAgents.flatMap((agent, i) => (team === null || agent.teams.includes(team) ? [i] : []));
}

function planTicket(random: Random, now: Date): PlannedTicket {
  // Drawn first and always in the same number, so subjects depend on the seed alone.
  const ageDays = DEMO_DAYS * random.next() ** 1.2;
  const topic = random.weighted(demoTopics, (t) => t.weight);
  const thread: Thread = random.pick(topic.threads);
  const subjectTemplate = random.pick(thread.subjects);
  const customerIndex = random.weighted(
    demoCustomers.map((_, i) => i),
    (i) => (demoCustomers[i]!.tags.includes('vip') ? 3 : demoCustomers[i]!.company ? 2 : 1),
  );
  const customer = demoCustomers[customerIndex]!;
  const channel = random.weighted(channelWeights, ([, weight]) => weight)[0];
  const product = random.pick(productsFor(topic.product));
  const sizes = product.sizes ?? ['standard size', 'larger size'];
  const size = random.int(0, sizes.length - 1);
  const otherSize = (size + random.int(1, sizes.length - 1)) % sizes.length;
  const carrier = random.pick(demoCarriers);
  const assignee = random.pick(agentsFor(topic.team));
  const colleague = random.pick(demoAgents.map((_, i) => i).filter((i) => i !== assignee));
  const firstName = (name: string) => name.split(' ')[0]!;
  const vars: Record<string, string> = {
    first: firstName(customer.name),
    full: customer.name,
    agent: firstName(demoAgents[assignee]!.name),
    colleague: firstName(demoAgents[colleague]!.name),
    product: product.name,
    size: sizes[size]!,
    size2: sizes[otherSize]!,
    // Order numbers grow with time, as a shop's do.
    order: `HL-${40_000 + Math.round((DEMO_DAYS - ageDays) * 37) + random.int(0, 36)}`,
    carrier: carrier.name,
    tracking: random.digits(carrier.tracking),
    amount: `${demoShop.currency}${product.price}.00`,
    code: random.pick(demoDiscountCodes),
    ref: String(random.int(100_000, 999_999)),
    days: String(random.int(3, 8)),
    last4: String(random.int(1000, 9999)),
  };
  const subject = fill(subjectTemplate, vars);
  let priority = priorities[random.weighted([0, 1, 2, 3], (i) => topic.priority[i]!)]!;
  if (customer.tags.includes('vip') && random.chance(0.4) && (priority === 'low' || priority === 'normal')) {
    priority = priority === 'low' ? 'normal' : 'high';
  }

  const live = channel === 'chat';
  const drawn = statusFor(random, ageDays);
  // A message that came in minutes ago has not been answered yet, except in a live chat.
  const status = ageDays * DAY < 45 * MINUTE && !live ? 'new' : drawn;
  const tokens = flowFor(random, status, topic);
  const conversational = channel === 'chat' || channel === 'social';
  const routed = (channel === 'web' || channel === 'api') && topic.team !== null;

  let createdAt = now.getTime() - ageDays * DAY;
  const hour = random.chance(0.75) ? random.int(8, 17) : random.int(6, 22);
  const minute = random.int(0, 59);
  if (ageDays >= 1) {
    const snapped = createdAt - (createdAt % DAY) + hour * HOUR + minute * MINUTE;
    if (snapped < now.getTime() - 30 * MINUTE) createdAt = snapped;
  }
  createdAt = Math.min(createdAt, now.getTime() - 12 * MINUTE);

  const fromCustomer = (body: string, opening: boolean) => {
    if (conversational) return body;
    if (opening) {
      const greeting = random.pick(commonLines.customerGreetings);
      const text = channel === 'phone' ? `Voicemail: ${body}` : body;
      return [greeting, text, random.pick(commonLines.customerSignoffs)].filter(Boolean).join('\n\n');
    }
    return random.chance(0.5) ? `${body}\n\n{first}` : body;
  };
  const fromAgent = (body: string) =>
    conversational
      ? body
      : `${random.pick(commonLines.agentGreetings)}\n\n${body}\n\n${random.pick(commonLines.agentSignoffs)}`;
  const note = (assigned: boolean) =>
    assigned
      ? random.chance(0.75)
        ? random.pick(topic.notes)
        : random.pick(commonLines.notes)
      : random.pick(commonLines.triageNotes);

  // Nobody chases a message they sent this morning.
  const flow = ageDays < 1.5 && !live ? tokens.filter((token) => token !== 'B') : tokens;
  const gaps = flow.slice(1).map((token, i) => gapMinutes(random, token, flow[i]!, live) * MINUTE);
  const age = now.getTime() - createdAt;
  const latest = Math.max(now.getTime() - random.int(2, 40) * MINUTE, createdAt + age * 0.7);
  const total = gaps.reduce((sum, gap) => sum + gap, 0);
  // Squeeze a conversation that would run past now into the time it has had so far.
  const scale = createdAt + total > latest ? (latest - createdAt) / total : 1;
  let at = createdAt;
  let assigned = false;
  const steps: PlannedStep[] = [];
  flow.slice(1).forEach((token, i) => {
    at += Math.max(Math.round(gaps[i]! * scale), 1000);
    const when = new Date(at);
    const reply = (body: string, status?: TicketStatus): PlannedStep => ({
      type: 'message',
      at: when,
      kind: 'public_reply',
      body: fill(fromAgent(body), vars),
      agent: assignee,
      ...(status && { status }),
    });
    if (token === 'B' || token === 'F') {
      const body = token === 'B' ? random.pick(commonLines.bumps) : thread.followUp;
      steps.push({
        type: 'message',
        at: when,
        kind: 'customer_message',
        body: fill(fromCustomer(body, false), vars),
        agent: null,
      });
    } else if (token === 'A') {
      assigned = true;
      steps.push({
        type: 'update',
        at: when,
        agent: assignee,
        patch: {
          assignee,
          ...(!routed && topic.team && { team: topic.team }),
          ...(priority !== 'normal' && !routed && { priority }),
          ...(customer.tags.includes('vip') && { addTags: ['vip'] }),
        },
      });
    } else if (token === 'N') {
      steps.push({
        type: 'message',
        at: when,
        kind: 'internal_note',
        body: fill(note(assigned), vars),
        agent: assigned ? assignee : colleague,
      });
    } else if (token === 'R') steps.push(reply(thread.reply));
    else if (token === 'Rp') steps.push(reply(thread.reply, 'pending'));
    else if (token === 'Rs') steps.push(reply(thread.reply, 'solved'));
    else if (token === 'P') steps.push(reply(random.pick(commonLines.progress), 'pending'));
    else if (token === 'S') steps.push(reply(thread.resolution, 'solved'));
    else if (token === 'H') steps.push(reply(topic.hold ?? commonLines.hold, 'on_hold'));
    else if (token === 'X')
      steps.push({ type: 'update', at: when, agent: assignee, patch: { status: 'closed' } });
  });

  return {
    topic: topic.key,
    subject,
    customer: customerIndex,
    channel,
    priority: routed || status === 'new' ? priority : 'normal',
    tags: topic.tags,
    team: routed ? topic.team : null,
    body: fill(fromCustomer(thread.opening, true), vars),
    createdAt: new Date(createdAt),
    steps,
    status,
  };
}

/** The whole demo as data: who writes what, when, and how each ticket ends. Pure: same seed, same plan. */
export function planDemo({ seed, now }: { seed: number; now: Date }): DemoPlan {
  const tickets = Array.from({ length: DEMO_TICKETS }, (_, i) =>
    planTicket(createRandom(streamSeed(seed, i)), now),
  )
    // Ticket numbers should grow with time, as they would have.
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const customerSince = demoCustomers.map((_, i) => {
    const random = createRandom(streamSeed(seed, DEMO_TICKETS + i));
    const first = tickets.find((t) => t.customer === i)?.createdAt.getTime() ?? now.getTime();
    return new Date(Math.min(now.getTime() - random.int(62, 720) * DAY, first - random.int(1, 72) * HOUR));
  });
  return { tickets, customerSince };
}
