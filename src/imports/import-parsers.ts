import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCsv } from './import-csv.ts';
import type { ImportBundle, ImportSource, ImportTicket } from './import-types.ts';

export class ImportFormatError extends Error {
  override name = 'ImportFormatError';
}

type Obj = Record<string, unknown>;
const str = (value: unknown) => (value === null || value === undefined ? '' : String(value));
const opt = (value: unknown) => str(value).trim() || undefined;
const arr = (value: unknown): Obj[] => (Array.isArray(value) ? (value as Obj[]) : []);
const tagList = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.map((tag) => str(typeof tag === 'object' && tag ? (tag as Obj).tag : tag)).filter(Boolean)
    : str(value)
        .split(/[,\s]+/)
        .filter(Boolean);

/** A JSON export file: an array, an object wrapping one (`{ "tickets": [...] }`), or one object per line. */
function readRecords(dir: string, file: string, key: string, required = true): Obj[] {
  // Zendesk writes one object per line into .json files; the same file named .ndjson is read too.
  const named = path.join(dir, file);
  const full = existsSync(named) ? named : named.replace(/\.json$/, '.ndjson');
  if (!existsSync(full)) {
    if (required) throw new ImportFormatError(`${named} is missing`);
    return [];
  }
  const text = readFileSync(full, 'utf8').trim();
  if (!text) return [];
  try {
    if (text.startsWith('[')) return JSON.parse(text) as Obj[];
    if (!text.includes('\n')) {
      const single = JSON.parse(text) as Obj;
      return Array.isArray(single[key]) ? (single[key] as Obj[]) : [single];
    }
    const first = JSON.parse(text) as Obj;
    return Array.isArray(first[key]) ? (first[key] as Obj[]) : [first];
  } catch {
    // Several objects: one per line (Zendesk's JSON export, NDJSON).
    try {
      return text
        .split('\n')
        .filter((line) => line.trim())
        .map((line) => JSON.parse(line) as Obj);
    } catch (error) {
      throw new ImportFormatError(`${full} is not JSON: ${(error as Error).message}`);
    }
  }
}

const zendeskStatus: Record<string, ImportTicket['status']> = {
  new: 'new',
  open: 'open',
  pending: 'pending',
  hold: 'on_hold',
  solved: 'solved',
  closed: 'closed',
};
const priorities = new Set(['low', 'normal', 'high', 'urgent']);
const priorityOf = (value: unknown): ImportTicket['priority'] =>
  priorities.has(str(value)) ? (str(value) as ImportTicket['priority']) : 'normal';

/** Zendesk's JSON export: tickets.json (with comments), users.json, organizations.json. */
function zendesk(dir: string): ImportBundle {
  const users = readRecords(dir, 'users.json', 'users');
  const agents = new Set(users.filter((u) => str(u.role) !== 'end-user').map((u) => str(u.id)));
  return {
    organisations: readRecords(dir, 'organizations.json', 'organizations', false).map((o) => ({
      sourceId: str(o.id),
      name: str(o.name),
      domain: opt(arr(o.domain_names)[0] ?? (o.domain_names as unknown[] | undefined)?.[0]),
    })),
    customers: users
      .filter((u) => str(u.role) === 'end-user')
      .map((u) => ({
        sourceId: str(u.id),
        name: str(u.name),
        email: opt(u.email),
        phone: opt(u.phone),
        organisationId: opt(u.organization_id),
        tags: tagList(u.tags),
      })),
    tickets: readRecords(dir, 'tickets.json', 'tickets').map((t) => ({
      sourceId: str(t.id),
      subject: str(t.subject) || str(t.raw_subject),
      status: zendeskStatus[str(t.status)] ?? 'open',
      priority: priorityOf(t.priority),
      tags: tagList(t.tags),
      customerId: str(t.requester_id),
      createdAt: opt(t.created_at),
      messages: (arr(t.comments).length
        ? arr(t.comments)
        : [{ id: `${str(t.id)}-description`, author_id: t.requester_id, body: t.description, public: true }]
      ).map((c) => ({
        sourceId: str(c.id),
        author: agents.has(str(c.author_id)) ? ('agent' as const) : ('customer' as const),
        isPublic: c.public !== false,
        body: str(c.plain_body) || str(c.body),
        html: opt(c.html_body),
        createdAt: opt(c.created_at),
      })),
    })),
  };
}

// Freshdesk API: status 2 open, 3 pending, 4 resolved, 5 closed; priority 1 low … 4 urgent.
const freshdeskStatus: Record<string, ImportTicket['status']> = {
  '2': 'open',
  '3': 'pending',
  '4': 'solved',
  '5': 'closed',
};
const freshdeskPriority: Record<string, ImportTicket['priority']> = {
  '1': 'low',
  '2': 'normal',
  '3': 'high',
  '4': 'urgent',
};

/** Freshdesk's API JSON: tickets.json (with conversations), contacts.json, companies.json. */
function freshdesk(dir: string): ImportBundle {
  return {
    organisations: readRecords(dir, 'companies.json', 'companies', false).map((c) => ({
      sourceId: str(c.id),
      name: str(c.name),
      domain: opt(arr(c.domains)[0] ?? (c.domains as unknown[] | undefined)?.[0]),
    })),
    customers: readRecords(dir, 'contacts.json', 'contacts').map((c) => ({
      sourceId: str(c.id),
      name: str(c.name),
      email: opt(c.email),
      phone: opt(c.phone) ?? opt(c.mobile),
      organisationId: opt(c.company_id),
      tags: tagList(c.tags),
    })),
    tickets: readRecords(dir, 'tickets.json', 'tickets').map((t) => ({
      sourceId: str(t.id),
      subject: str(t.subject),
      status: freshdeskStatus[str(t.status)] ?? 'open',
      priority: freshdeskPriority[str(t.priority)] ?? 'normal',
      tags: tagList(t.tags),
      customerId: str(t.requester_id),
      createdAt: opt(t.created_at),
      messages: [
        {
          sourceId: `${str(t.id)}-description`,
          author: 'customer' as const,
          isPublic: true,
          body: str(t.description_text) || str(t.description),
          html: opt(t.description),
          createdAt: opt(t.created_at),
        },
        ...arr(t.conversations).map((c) => ({
          sourceId: str(c.id),
          author: c.incoming === true ? ('customer' as const) : ('agent' as const),
          isPublic: c.private !== true,
          body: str(c.body_text) || str(c.body),
          html: opt(c.body),
          createdAt: opt(c.created_at),
        })),
      ],
    })),
  };
}

const helpscoutStatus: Record<string, ImportTicket['status']> = {
  active: 'open',
  pending: 'pending',
  closed: 'closed',
  spam: 'closed',
};

/** Help Scout's Mailbox API 2.0 JSON: conversations.json (threads embedded) and customers.json. */
function helpscout(dir: string): ImportBundle {
  const customers = readRecords(dir, 'customers.json', 'customers', false).map((c) => {
    const embedded = (c._embedded ?? {}) as Obj;
    return {
      sourceId: str(c.id),
      name: [str(c.firstName), str(c.lastName)].filter(Boolean).join(' '),
      email: opt(arr(embedded.emails)[0]?.value),
      phone: opt(arr(embedded.phones)[0]?.value),
      organisationId: opt(c.organization),
      tags: [],
    };
  });
  const organisations = [
    ...new Set(customers.map((c) => c.organisationId).filter((o): o is string => !!o)),
  ].map((name) => ({ sourceId: name, name }));
  const conversations = readRecords(dir, 'conversations.json', 'conversations');
  // A conversation names its customer inline; those not listed in customers.json are taken from there.
  for (const conversation of conversations) {
    const primary = (conversation.primaryCustomer ?? {}) as Obj;
    if (customers.some((c) => c.sourceId === str(primary.id))) continue;
    customers.push({
      sourceId: str(primary.id),
      name: [str(primary.first), str(primary.last)].filter(Boolean).join(' '),
      email: opt(primary.email),
      phone: undefined,
      organisationId: undefined,
      tags: [],
    });
  }
  return {
    organisations,
    customers,
    tickets: conversations.map((c) => {
      const threads = arr(((c._embedded ?? {}) as Obj).threads).filter((t) =>
        ['customer', 'reply', 'note', 'message'].includes(str(t.type)),
      );
      threads.sort((a, b) => str(a.createdAt).localeCompare(str(b.createdAt)));
      return {
        sourceId: str(c.id),
        subject: str(c.subject),
        status: helpscoutStatus[str(c.status)] ?? 'open',
        priority: 'normal' as const,
        tags: tagList(c.tags),
        customerId: str(((c.primaryCustomer ?? {}) as Obj).id),
        createdAt: opt(c.createdAt),
        messages: threads.map((t) => ({
          sourceId: str(t.id),
          author: str(t.type) === 'customer' ? ('customer' as const) : ('agent' as const),
          isPublic: str(t.type) !== 'note',
          body: str(t.body)
            .replace(/<[^>]+>/g, ' ')
            .replace(/\s+/g, ' ')
            .trim(),
          html: opt(t.body),
          createdAt: opt(t.createdAt),
        })),
      };
    }),
  };
}

const csvStatus = (value: string): ImportTicket['status'] => {
  const normal = value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return (
    (['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const).find((s) => s === normal) ?? 'open'
  );
};

/**
 * Rapport's CSV: tickets.csv (id, subject, status, priority, tags, customer_email, customer_name,
 * customer_phone, organisation, body, created_at) and optionally messages.csv (id, ticket_id,
 * author = customer | agent | note, body, created_at). PATH may name tickets.csv itself.
 */
function csv(target: string): ImportBundle {
  const dir = target.endsWith('.csv') ? path.dirname(target) : target;
  const ticketsFile = target.endsWith('.csv') ? target : path.join(dir, 'tickets.csv');
  if (!existsSync(ticketsFile)) throw new ImportFormatError(`${ticketsFile} is missing`);
  const rows = parseCsv(readFileSync(ticketsFile, 'utf8'));
  const messageRows = existsSync(path.join(dir, 'messages.csv'))
    ? parseCsv(readFileSync(path.join(dir, 'messages.csv'), 'utf8'))
    : [];
  const bundle: ImportBundle = { organisations: [], customers: [], tickets: [] };
  for (const [index, row] of rows.entries()) {
    if (!row.id || !row.subject)
      throw new ImportFormatError(`tickets.csv row ${index + 2} needs an id and a subject`);
    const customerKey = (row.customer_email || row.customer_phone || `row-${row.id}`).trim().toLowerCase();
    if (row.organisation && !bundle.organisations.some((o) => o.sourceId === row.organisation))
      bundle.organisations.push({ sourceId: row.organisation, name: row.organisation });
    if (!bundle.customers.some((c) => c.sourceId === customerKey))
      bundle.customers.push({
        sourceId: customerKey,
        name: row.customer_name ?? '',
        email: opt(row.customer_email),
        phone: opt(row.customer_phone),
        organisationId: opt(row.organisation),
        tags: [],
      });
    bundle.tickets.push({
      sourceId: row.id,
      subject: row.subject,
      status: csvStatus(row.status ?? ''),
      priority: priorityOf(row.priority?.toLowerCase()),
      tags: tagList(row.tags),
      customerId: customerKey,
      createdAt: opt(row.created_at),
      messages: [
        ...(row.body
          ? [
              {
                sourceId: `${row.id}-body`,
                author: 'customer' as const,
                isPublic: true,
                body: row.body,
                createdAt: opt(row.created_at),
              },
            ]
          : []),
        ...messageRows
          .filter((m) => m.ticket_id === row.id)
          .map((m) => ({
            sourceId: m.id || `${row.id}-${m.created_at}`,
            author: m.author === 'customer' ? ('customer' as const) : ('agent' as const),
            isPublic: m.author !== 'note',
            body: m.body ?? '',
            createdAt: opt(m.created_at),
          })),
      ],
    });
  }
  return bundle;
}

/** Reads an export from PATH into an ImportBundle; throws ImportFormatError saying what is wrong. */
export function readExport(source: ImportSource, target: string): ImportBundle {
  if (!existsSync(target)) throw new ImportFormatError(`${target} does not exist`);
  if (source === 'zendesk') return zendesk(target);
  if (source === 'freshdesk') return freshdesk(target);
  if (source === 'helpscout') return helpscout(target);
  return csv(target);
}
