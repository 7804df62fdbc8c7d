import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ApiError, api, query } from '../api/client.ts';
import type { Customer, FieldDefinition, Message, Ticket, TicketEvent, TicketPage } from '../api/types.ts';

export type LinkKind = 'related' | 'parent_of' | 'child_of';
export type TicketLink = { kind: LinkKind; ticketId: string };
export type Upload = { id: string; name: string; contentType: string; size: number; url: string };
export type CannedResponse = { id: string; title: string; body: string; shortcut: string | null };
export type TicketPatch = Partial<{
  status: Ticket['status'];
  priority: Ticket['priority'];
  assigneeId: string | null;
  teamId: string | null;
  addTags: string[];
  removeTags: string[];
  customFields: Record<string, unknown>;
}>;

// Everything about one ticket lives under ['ticket', id]: the stream invalidates that prefix.
export const ticketKey = (id: string) => ['ticket', id] as const;

export function useTicket(id: string) {
  return useQuery({ queryKey: ticketKey(id), queryFn: () => api<Ticket>(`/tickets/${id}`) });
}

export function useMessages(id: string) {
  return useQuery({
    queryKey: [...ticketKey(id), 'messages'],
    queryFn: () => api<{ data: Message[] }>(`/tickets/${id}/messages`),
    select: (r) => r.data,
  });
}

export function useEvents(id: string) {
  return useQuery({
    queryKey: [...ticketKey(id), 'events'],
    queryFn: () => api<{ data: TicketEvent[] }>(`/tickets/${id}/events`),
    select: (r) => r.data,
  });
}

export function useLinks(id: string) {
  return useQuery({
    queryKey: [...ticketKey(id), 'links'],
    queryFn: () => api<{ data: TicketLink[] }>(`/tickets/${id}/links`),
    select: (r) => r.data,
  });
}

export function useCustomer(id: string) {
  return useQuery({ queryKey: ['customer', id], queryFn: () => api<Customer>(`/customers/${id}`) });
}

/** The customer's tickets, kept under this ticket's key so they refresh with it. */
export function useCustomerTickets(ticketId: string, customerId: string) {
  return useQuery({
    queryKey: [...ticketKey(ticketId), 'customer-tickets', customerId],
    queryFn: () => api<TicketPage>(`/tickets${query({ customer: customerId, limit: 20 })}`),
    select: (r) => r.data.filter((other) => other.id !== ticketId),
  });
}

export function useTicketFields() {
  return useQuery({
    queryKey: ['fields', 'ticket'],
    queryFn: () => api<{ data: FieldDefinition[] }>('/fields?entity=ticket'),
    select: (r) => r.data,
    staleTime: 60_000,
  });
}

/** Finds a ticket by its number ("#123" or "123"); undefined when there is none. */
export async function findTicketByNumber(input: string): Promise<Ticket | undefined> {
  const number = Number(input.trim().replace(/^#/, ''));
  if (!Number.isInteger(number) || number <= 0) return undefined;
  const page = await api<TicketPage>(`/tickets${query({ q: `#${number}`, limit: 5 })}`);
  return page.data.find((ticket) => ticket.number === number);
}

/** Changes ticket fields at once in the cache, then on the server; a refusal puts the old values back. */
export function useUpdateTicket(id: string) {
  const client = useQueryClient();
  return useMutation<Ticket, ApiError, TicketPatch, { before: Ticket | undefined }>({
    mutationFn: (patch) => api<Ticket>(`/tickets/${id}`, { method: 'PATCH', body: patch }),
    onMutate: async (patch) => {
      await client.cancelQueries({ queryKey: ticketKey(id), exact: true });
      const before = client.getQueryData<Ticket>(ticketKey(id));
      if (before) client.setQueryData(ticketKey(id), optimistic(before, patch));
      return { before };
    },
    onError: (_error, _patch, context) => {
      if (context?.before) client.setQueryData(ticketKey(id), context.before);
    },
    onSuccess: (ticket) => client.setQueryData(ticketKey(id), ticket),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: [...ticketKey(id), 'events'] });
      void client.invalidateQueries({ queryKey: ['tickets'] });
      void client.invalidateQueries({ queryKey: ['counts'] });
    },
  });
}

function optimistic(ticket: Ticket, patch: TicketPatch): Ticket {
  const { addTags = [], removeTags = [], customFields, ...rest } = patch;
  const tags = [...new Set([...ticket.tags, ...addTags])].filter((tag) => !removeTags.includes(tag));
  return {
    ...ticket,
    ...rest,
    tags,
    customFields: customFields ? { ...ticket.customFields, ...customFields } : ticket.customFields,
  };
}
