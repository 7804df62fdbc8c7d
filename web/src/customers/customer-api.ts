import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ApiError, api, query } from '../api/client.ts';
import type { Customer } from '../api/types.ts';

export type CustomerNote = {
  id: string;
  body: string;
  pinned: boolean;
  authorId: string | null;
  createdAt: string;
  updatedAt: string;
};

export type BusinessEvent = {
  id: string;
  type: string;
  occurredAt: string;
  orderNumber: string | null;
  amount: number | null;
  currency: string | null;
  data: Record<string, unknown>;
};

export type Lifetime = {
  orders: number;
  orderValue: number;
  currency: string | null;
  tickets: number;
  openTickets: number;
  averageCsat: number | null;
  csatAnswers: number;
  lastContactAt: string | null;
};

export type Profile = {
  customer: Customer;
  company: { id: string; name: string; domain: string | null } | null;
  lifetime: Lifetime;
  latestOrder: BusinessEvent | null;
  /** Pinned first, then newest. */
  notes: CustomerNote[];
};

export type TimelineEntry = {
  kind: 'ticket' | 'message' | 'csat' | 'event';
  id: string;
  at: string;
  ticketId: string | null;
  ticketNumber: number | null;
  title: string;
  detail: string;
  channel: string | null;
  score: number | null;
  data: Record<string, unknown> | null;
};

export type Recommendation = {
  sku: string;
  name: string;
  score: number;
  /** The bought item behind a co-occurrence; null when offered for selling well lately. */
  because: { sku: string; name: string } | null;
  recentBuyers: number;
  reason: string;
};

export type DuplicatePair = {
  customerIds: [string, string];
  names: [string, string];
  reason: string;
  score: number;
};

// Everything about one customer lives under ['customer', id], so one invalidation refreshes it all.
const profileKey = (id: string) => ['customer', id, 'profile'] as const;

export function useProfile(id: string) {
  return useQuery<Profile, ApiError>({
    queryKey: profileKey(id),
    queryFn: () => api<Profile>(`/customers/${id}/profile`),
  });
}

export function useRecommendations(id: string) {
  return useQuery<Recommendation[], ApiError>({
    queryKey: ['customer', id, 'recommendations'],
    queryFn: async () => (await api<{ data: Recommendation[] }>(`/customers/${id}/recommendations`)).data,
    staleTime: 60_000,
  });
}

const TIMELINE_PAGE = 25;

/** The customer's timeline, newest first, one page at a time by the server's cursor. */
export function useCustomerTimeline(id: string) {
  return useInfiniteQuery({
    queryKey: ['customer', id, 'timeline'],
    queryFn: ({ pageParam }) =>
      api<{ data: TimelineEntry[]; nextCursor: string | null }>(
        `/customers/${id}/timeline${query({ limit: TIMELINE_PAGE, cursor: pageParam })}`,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

/** Adds a note, or changes one's text or pin; the profile reloads so pinned notes move to the top. */
export function useSaveNote(customerId: string) {
  const client = useQueryClient();
  return useMutation<CustomerNote, ApiError, { id?: string; body?: string; pinned?: boolean }>({
    mutationFn: ({ id, ...body }) =>
      id
        ? api<CustomerNote>(`/customers/${customerId}/notes/${id}`, { method: 'PATCH', body })
        : api<CustomerNote>(`/customers/${customerId}/notes`, { body }),
    onSuccess: () => client.invalidateQueries({ queryKey: profileKey(customerId) }),
  });
}

export const duplicatesKey = ['customers', 'duplicates'] as const;

export function useDuplicates() {
  return useQuery<DuplicatePair[], ApiError>({
    queryKey: duplicatesKey,
    queryFn: async () => (await api<{ data: DuplicatePair[] }>('/customers/duplicates')).data,
  });
}

export type DuplicateDismissal = {
  id: string;
  customerIds: [string, string];
  names: [string, string];
  createdAt: string;
};

const dismissalsKey = [...duplicatesKey, 'dismissals'] as const;

export function useDismissals() {
  return useQuery<DuplicateDismissal[], ApiError>({
    queryKey: dismissalsKey,
    queryFn: async () => (await api<{ data: DuplicateDismissal[] }>('/customers/duplicates/dismissals')).data,
  });
}

/** Says a suggested pair is two people (`customerIds`), or undoes that (`undo`: the dismissal's id). */
export function useDismissDuplicate() {
  const client = useQueryClient();
  return useMutation<unknown, ApiError, { customerIds: [string, string] } | { undo: string }>({
    mutationFn: (input) =>
      'undo' in input
        ? api<void>(`/customers/duplicates/dismissals/${input.undo}`, { method: 'DELETE' })
        : api<DuplicateDismissal>('/customers/duplicates/dismissals', { body: input }),
    // Both lists change (the dismissed pairs' key starts with the suggestions'). Not awaited: the pair's
    // own onSuccess must run before the refetch unmounts it.
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: duplicatesKey });
    },
  });
}

/** Merges `source` into `into`: its identities, tickets and history move to the survivor. */
export function useMergeCustomers() {
  const client = useQueryClient();
  return useMutation<Customer, ApiError, { source: string; into: string }>({
    mutationFn: ({ source, into }) => api<Customer>(`/customers/${source}/merge`, { body: { into } }),
    onSuccess: (_, { source, into }) => {
      void client.invalidateQueries({ queryKey: duplicatesKey });
      void client.invalidateQueries({ queryKey: ['customer', source] });
      void client.invalidateQueries({ queryKey: ['customer', into] });
    },
  });
}

/** "€1,234.50", or the bare number when the currency is unknown. */
export function money(amount: number, currency: string | null): string {
  if (!currency) return amount.toLocaleString();
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount.toLocaleString()} ${currency}`;
  }
}
