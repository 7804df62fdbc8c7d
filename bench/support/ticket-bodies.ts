// Request bodies for the ingest bench: the mix an API integration or email gateway sends.

const subjects = [
  "Can't log in after resetting my password",
  'Refund for order #{n}',
  "My package hasn't arrived yet",
  'Invoice {n} shows the wrong amount',
  'How do I change my plan?',
  'The app crashes when I upload a photo',
  'Password reset email never arrives',
  'I was charged twice this month',
  'Please delete my account',
  'Export to CSV is missing columns',
  'Question about your enterprise pricing',
  'Two-factor codes are rejected',
];

const openings = [
  'Hello,',
  'Hi there,',
  'Good morning,',
  'Dear support team,',
  'Hey,',
  "Hi, I hope you're well.",
];

const details = [
  'I placed order #{n} last week and the tracking page has not changed since Tuesday.',
  'When I try to sign in I get an error saying my session has expired, even right after the reset.',
  'The invoice lists three seats but we only have two people on the account since March.',
  'I tried in Chrome and Firefox, cleared the cache, and it still happens every time.',
  'Our finance team needs the VAT number printed on every invoice from now on.',
  'The photo is a 4 MB JPEG taken with my phone; smaller images seem to work fine.',
  'I checked the spam folder and asked IT to allow your domain, but nothing has come through.',
  'We are evaluating the product for a team of about forty agents across two time zones.',
];

const closings = [
  'Thanks in advance.',
  'Could you look into this today? It is blocking our team.',
  'Thank you for your help!',
  'Let me know if you need screenshots.',
  'Best regards,',
];

const firstNames = ['Ana', 'Ben', 'Chloé', 'Dmitri', 'Emma', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas'];
const lastNames = ['Silva', 'Okafor', 'Martin', 'Ivanova', 'Nguyen', 'Schmidt', 'Rossi', 'Kowalski'];
const tags = ['billing', 'shipping', 'account', 'bug', 'refund', 'sales'];
const channels = ['email', 'web', 'api'] as const;
const priorities = ['low', 'normal', 'normal', 'normal', 'high', 'urgent'] as const;

const pick = <T>(values: readonly T[]): T => values[Math.floor(Math.random() * values.length)]!;
const ascii = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
const fill = (template: string) =>
  template.replaceAll('{n}', String(10_000 + Math.floor(Math.random() * 90_000)));

/** Share of tickets from returning customers, drawn from a fixed pool; the rest are new customers. */
export const RETURNING_SHARE = 0.3;
export const RETURNING_POOL = 500;

/** Makes ticket bodies whose customers are new (unique per run) or returning (from the pool). */
export function ticketBodies(runId: string) {
  let sequence = 0;
  return function nextTicket() {
    const returning = Math.random() < RETURNING_SHARE;
    const first = pick(firstNames);
    const last = pick(lastNames);
    const email = returning
      ? `returning.${Math.floor(Math.random() * RETURNING_POOL)}@customers.example.org`
      : `${ascii(first)}.${ascii(last)}.${runId}.${++sequence}@example.com`;
    return {
      subject: fill(pick(subjects)),
      customer: { email, ...(Math.random() < 0.6 ? { name: `${first} ${last}` } : {}) },
      message: {
        body: `${pick(openings)}\n\n${fill(pick(details))} ${fill(pick(details))}\n\n${pick(closings)}\n${first}`,
      },
      channel: pick(channels),
      priority: pick(priorities),
      tags: [pick(tags)],
    };
  };
}
