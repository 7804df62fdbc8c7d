import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useLocation } from 'wouter';
import { api, query } from '../api/client.ts';
import type { Ticket, TicketPage } from '../api/types.ts';

type Cached = { data?: Ticket[]; pages?: { data?: Ticket[] }[] };

function rowsOf(value: unknown): Ticket[] {
  const cached = value as Cached | undefined;
  if (!cached) return [];
  if (Array.isArray(cached.pages)) return cached.pages.flatMap((page) => page.data ?? []);
  return Array.isArray(cached.data) ? cached.data : [];
}

/** The ticket list the agent most likely came from: the freshest cached list that holds this ticket. */
export function neighbour(client: QueryClient, ticketId: string, step: 1 | -1): string | undefined {
  let best: { rows: Ticket[]; at: number } | undefined;
  for (const cached of client.getQueryCache().findAll({ queryKey: ['tickets'] })) {
    const rows = rowsOf(cached.state.data);
    if (!rows.some((row) => row.id === ticketId)) continue;
    if (!best || cached.state.dataUpdatedAt > best.at) best = { rows, at: cached.state.dataUpdatedAt };
  }
  if (!best) return undefined;
  const index = best.rows.findIndex((row) => row.id === ticketId);
  return best.rows[index + step]?.id;
}

/** Without a list in memory (the page was reloaded), the unsolved tickets by last activity stand in. */
async function neighbourInOpen(ticketId: string, step: 1 | -1): Promise<string | undefined> {
  const page = await api<TicketPage>(`/tickets${query({ status: 'new,open,pending,on_hold', limit: 100 })}`);
  const index = page.data.findIndex((row) => row.id === ticketId);
  return index < 0 ? undefined : page.data[index + step]?.id;
}

/** j/k on the ticket page: open the next or previous ticket of that list. */
export function useTicketSteps(ticketId: string) {
  const client = useQueryClient();
  const [, navigate] = useLocation();
  return async (step: 1 | -1) => {
    const next =
      neighbour(client, ticketId, step) ?? (await neighbourInOpen(ticketId, step).catch(() => undefined));
    if (next) navigate(`/tickets/${next}`);
  };
}
