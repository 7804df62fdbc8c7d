import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { Counts } from '../api/types.ts';

export type TicketFilters = Record<string, string | undefined>;
export const UNSOLVED = 'new,open,pending,on_hold';

export type SavedView = {
  id: string;
  name: string;
  filters: TicketFilters;
  count?: number;
  countCapped?: boolean;
  shared: boolean;
};

/** The built-in views and what each one filters on. */
export const builtInViews = {
  unassigned: { label: 'view.unassigned', filters: { assignee: 'none', status: UNSOLVED } },
  mine: { label: 'view.mine', filters: { assignee: 'me', status: UNSOLVED } },
  open: { label: 'view.open', filters: { status: UNSOLVED } },
  pending: { label: 'view.pending', filters: { status: 'pending' } },
  solved: { label: 'view.solved', filters: { status: 'solved' } },
  // Open SLA clocks only exist on unsolved tickets, so these need no status filter.
  breaching: { label: 'view.breaching', filters: { sla: 'breaching' } },
  breached: { label: 'view.breached', filters: { sla: 'breached' } },
} as const;
export type BuiltInView = keyof typeof builtInViews;

// The SLA views have no cached count: their tickets move in and out with the clock, not with events.
export function countFor(view: BuiltInView, counts: Counts | undefined): number | undefined {
  if (!counts) return undefined;
  return {
    unassigned: counts.unassigned,
    mine: counts.mine,
    open: counts.unsolved,
    pending: counts.byStatus.pending,
    solved: counts.byStatus.solved,
    breaching: undefined,
    breached: undefined,
  }[view];
}

export function useCounts() {
  return useQuery({ queryKey: ['counts'], queryFn: () => api<Counts>('/tickets/counts'), staleTime: 10_000 });
}

export function useSavedViews() {
  return useQuery({
    queryKey: ['views'],
    queryFn: () => api<{ data: SavedView[] }>('/views'),
    select: (r) => r.data,
    staleTime: 15_000,
  });
}
