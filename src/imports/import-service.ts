import { and, eq } from 'drizzle-orm';
import { customerIdFor } from '../channels/channel-intake.ts';
import { createCompany, listCompanies } from '../companies/company-service.ts';
import { updateCustomer } from '../customers/customer-service.ts';
import { importSources, messages, tickets } from '../db/schema/index.ts';
import { type Actor, automationActor, systemActor } from '../platform/auth/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { addMessage } from '../tickets/message-service.ts';
import { createTicketWithCustomer, updateTicket } from '../tickets/ticket-service.ts';
import type { ImportBundle, ImportMessage, ImportSource, ImportTicket } from './import-types.ts';

type Kind = 'organisation' | 'customer' | 'ticket' | 'message';
export type ImportCount = { created: number; skipped: number };
export type ImportSummary = Record<'organisations' | 'customers' | 'tickets' | 'messages', ImportCount>;
export type Progress = (done: number, total: number) => void;

async function mapped(db: Db, workspaceId: string, source: ImportSource, kind: Kind, sourceId: string) {
  const [row] = await db
    .select({ targetId: importSources.targetId })
    .from(importSources)
    .where(
      and(
        eq(importSources.workspaceId, workspaceId),
        eq(importSources.source, source),
        eq(importSources.kind, kind),
        eq(importSources.sourceId, sourceId),
      ),
    );
  return row?.targetId;
}

const remember = (
  tx: Db,
  workspaceId: string,
  source: ImportSource,
  kind: Kind,
  sourceId: string,
  targetId: string,
) => tx.insert(importSources).values({ workspaceId, source, kind, sourceId, targetId }).onConflictDoNothing();

/**
 * Messages written in one transaction share one now(): the source's times keep them in their order
 * (and keep the history's dates); without one, the order they came in.
 */
async function keepTime(
  tx: Db,
  table: 'message' | 'ticket',
  id: string,
  createdAt: string | undefined,
  fallback: number,
) {
  const parsed = createdAt ? Date.parse(createdAt) : Number.NaN;
  const at = new Date(Number.isNaN(parsed) ? fallback : parsed);
  if (table === 'message') await tx.update(messages).set({ createdAt: at }).where(eq(messages.id, id));
  else await tx.update(tickets).set({ createdAt: at }).where(eq(tickets.id, id));
}

const importMeta = (
  source: ImportSource,
  sourceId: string,
  createdAt: string | undefined,
  author?: string,
) => ({
  import: { source, sourceId, ...(createdAt && { createdAt }), ...(author && { author }) },
});

/**
 * Adds one message to an imported ticket: customers' messages as the system, agents' replies and notes
 * as an automation without a user, so importing never emails anybody.
 */
async function addImported(
  tx: Db,
  workspaceId: string,
  source: ImportSource,
  ticketId: string,
  message: ImportMessage,
) {
  const channelMeta = importMeta(source, message.sourceId, message.createdAt);
  const content = { body: message.body || '(empty)', html: message.html, channelMeta, status: undefined };
  const { message: row } =
    message.author === 'customer'
      ? await addMessage(tx, systemActor(workspaceId), ticketId, { ...content, kind: 'customer_message' })
      : await addMessage(tx, automationActor(workspaceId), ticketId, {
          ...content,
          kind: message.isPublic ? 'public_reply' : 'internal_note',
        });
  return row.id;
}

/**
 * Imports one ticket and the messages of it not imported yet, in one transaction with their source ids:
 * a re-run skips what it finds, and picks up comments added to the source since.
 */
async function importTicket(
  db: Db,
  workspaceId: string,
  source: ImportSource,
  ticket: ImportTicket,
  customerId: string,
  count: ImportSummary,
) {
  await db.transaction(async (tx) => {
    let ticketId = await mapped(tx, workspaceId, source, 'ticket', ticket.sourceId);
    const pending: ImportMessage[] = [];
    for (const message of ticket.messages)
      if (await mapped(tx, workspaceId, source, 'message', message.sourceId)) count.messages.skipped++;
      else pending.push(message);
    const createdNow = !ticketId;
    if (ticketId) count.tickets.skipped++;
    if (!ticketId) {
      // The first message opens the ticket; it is the customer's in the products' own model.
      const [first, ...rest] = pending.splice(0, pending.length);
      const opening = first ?? {
        sourceId: `${ticket.sourceId}-subject`,
        author: 'customer' as const,
        isPublic: true,
        body: ticket.subject,
      };
      const created = await createTicketWithCustomer(tx, systemActor(workspaceId), {
        subject: ticket.subject || '(no subject)',
        customer: { id: customerId },
        message: {
          body: opening.body || '(empty)',
          html: opening.html,
          channelMeta: importMeta(
            source,
            opening.sourceId,
            opening.createdAt,
            opening.author === 'agent' ? 'agent' : undefined,
          ),
        },
        channel: 'api',
        priority: ticket.priority,
        tags: ticket.tags,
        status: ticket.status === 'closed' ? 'solved' : ticket.status === 'new' ? 'new' : 'open',
      });
      ticketId = created.id;
      await keepTime(tx, 'ticket', ticketId, ticket.createdAt, Date.now());
      await remember(tx, workspaceId, source, 'ticket', ticket.sourceId, ticketId);
      if (first) {
        const [row] = await tx
          .select({ id: messages.id })
          .from(messages)
          .where(eq(messages.ticketId, ticketId))
          .limit(1);
        await remember(tx, workspaceId, source, 'message', first.sourceId, row!.id);
        await keepTime(tx, 'message', row!.id, first.createdAt, Date.now());
        count.messages.created++;
      }
      pending.push(...rest);
      count.tickets.created++;
    }
    for (const [index, message] of pending.entries()) {
      const id = await addImported(tx, workspaceId, source, ticketId, message).catch((error: unknown) => {
        // A closed ticket takes nothing new: later comments of a closed source ticket are skipped.
        if ((error as { code?: string }).code === 'invalid_state') return null;
        throw error;
      });
      if (!id) {
        count.messages.skipped++;
        continue;
      }
      await remember(tx, workspaceId, source, 'message', message.sourceId, id);
      await keepTime(tx, 'message', id, message.createdAt, Date.now() + index + 1);
      count.messages.created++;
    }
    // The source's status last: the messages above moved the ticket as new messages do.
    const wanted = ticket.status;
    if (createdNow && wanted !== 'new' && wanted !== 'open') {
      const automation = automationActor(workspaceId);
      await updateTicket(tx, automation, ticketId, { status: wanted === 'closed' ? 'solved' : wanted });
      if (wanted === 'closed') await updateTicket(tx, automation, ticketId, { status: 'closed' });
    }
  });
}

/**
 * Imports organisations, customers (found by email or phone, or created) and tickets with their
 * messages into the admin's workspace. Idempotent by source id: a second run creates nothing it
 * created before and counts it as skipped.
 */
export async function runImport(
  db: Db,
  admin: Actor,
  source: ImportSource,
  bundle: ImportBundle,
  progress: Progress = () => {},
): Promise<ImportSummary> {
  const { workspaceId } = admin;
  const zero = () => ({ created: 0, skipped: 0 });
  const count: ImportSummary = {
    organisations: zero(),
    customers: zero(),
    tickets: zero(),
    messages: zero(),
  };
  const total = bundle.organisations.length + bundle.customers.length + bundle.tickets.length;
  let done = 0;
  const step = () => progress(++done, total);

  const companyOf = new Map<string, string>();
  for (const organisation of bundle.organisations) {
    let id = await mapped(db, workspaceId, source, 'organisation', organisation.sourceId);
    if (id) count.organisations.skipped++;
    else {
      const name = organisation.name.trim() || `Organisation ${organisation.sourceId}`;
      // A company of that name made by hand (or by another import) is the same company.
      const existing = (await listCompanies(db, admin, name)).find(
        (c) => c.name.toLowerCase() === name.toLowerCase(),
      );
      id = existing?.id ?? (await createCompany(db, admin, { name, domain: organisation.domain })).id;
      await remember(db, workspaceId, source, 'organisation', organisation.sourceId, id);
      count.organisations.created++;
    }
    companyOf.set(organisation.sourceId, id);
    step();
  }

  const customerOf = new Map<string, string>();
  for (const customer of bundle.customers) {
    let id = await mapped(db, workspaceId, source, 'customer', customer.sourceId);
    if (id) count.customers.skipped++;
    else {
      id = await db.transaction(async (tx) => {
        const found = await customerIdFor(tx, workspaceId, {
          email: customer.email,
          phone: customer.phone,
          externalId: customer.email || customer.phone ? undefined : `${source}:${customer.sourceId}`,
          name: customer.name || undefined,
        });
        await remember(tx, workspaceId, source, 'customer', customer.sourceId, found);
        return found;
      });
      const companyId = customer.organisationId ? companyOf.get(customer.organisationId) : undefined;
      if (companyId || customer.tags.length)
        await updateCustomer(db, admin, id, {
          ...(companyId && { companyId }),
          ...(customer.tags.length && { tags: customer.tags }),
        });
      count.customers.created++;
    }
    customerOf.set(customer.sourceId, id);
    step();
  }

  for (const ticket of bundle.tickets) {
    let customerId = customerOf.get(ticket.customerId);
    if (!customerId)
      customerId = await db.transaction((tx) =>
        customerIdFor(tx, workspaceId, {
          externalId: `${source}:${ticket.customerId || `ticket-${ticket.sourceId}`}`,
        }),
      );
    await importTicket(db, workspaceId, source, ticket, customerId, count);
    step();
  }
  return count;
}
