import { useInfiniteQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Redirect, useLocation, useSearch } from 'wouter';
import { OnboardingCard } from '../admin/onboarding-card.tsx';
import { api, query } from '../api/client.ts';
import type { Me, TicketPage } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { useShortcut } from '../keyboard/shortcuts.ts';
import { useTeams } from '../shell/directory.ts';
import { BulkBar } from './bulk-bar.tsx';
import { TicketRow } from './ticket-row.tsx';
import { type BuiltInView, builtInViews, type TicketFilters, UNSOLVED, useSavedViews } from './views.ts';

type ViewRef = { builtIn?: string; team?: string; saved?: string };
type Sort = 'last_activity' | 'created' | 'updated' | 'priority';
const PAGE = 50;
// The list's columns after the selection box; TicketRow renders its cells in the same order.
const columns = [
  ['subject', 'inbox.subject'],
  ['status', 'inbox.status'],
  ['priority', 'inbox.priority'],
  ['assignee', 'inbox.assignee'],
  ['age', 'inbox.lastActivity'],
  ['age', 'inbox.waiting'],
] as const;
const ROW_HEIGHT = 44;

function useViewFilters(view: ViewRef): {
  title: string;
  filters: TicketFilters | undefined;
  unknown: boolean;
} {
  const { data: teams } = useTeams();
  const { data: saved } = useSavedViews();
  if (view.builtIn) {
    const known = builtInViews[view.builtIn as BuiltInView];
    return known
      ? { title: t(known.label), filters: { ...known.filters }, unknown: false }
      : { title: '', filters: undefined, unknown: true };
  }
  if (view.team) {
    const team = teams?.find((candidate) => candidate.id === view.team);
    return {
      title: t('view.team', { name: team?.name ?? '…' }),
      filters: { team: view.team, status: UNSOLVED },
      unknown: false,
    };
  }
  const match = saved?.find((candidate) => candidate.id === view.saved);
  return { title: match?.name ?? '…', filters: match?.filters, unknown: Boolean(saved && !match) };
}

// Narrowing a view from a link: /inbox/open?customer=…&tag=…
const narrowing = ['customer', 'tag', 'channel', 'priority', 'q'] as const;

export function InboxPage({ view, me }: { view: ViewRef; me: Me }) {
  const base = useViewFilters(view);
  const search = useSearch();
  const { title, unknown } = base;
  const filters = useMemo(() => {
    if (!base.filters) return undefined;
    const params = new URLSearchParams(search);
    const extra = Object.fromEntries(
      narrowing.filter((key) => params.get(key)).map((key) => [key, params.get(key)!]),
    );
    return { ...base.filters, ...extra };
  }, [base.filters, search]);
  const [sort, setSort] = useState<Sort>('last_activity');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [cursor, setCursor] = useState(0);
  const [bulkOutcome, setBulkOutcome] = useState('');
  const [, navigate] = useLocation();
  const scroller = useRef<HTMLDivElement>(null);

  const tickets = useInfiniteQuery({
    queryKey: ['tickets', filters, sort],
    enabled: Boolean(filters),
    queryFn: ({ pageParam, signal }) =>
      api<TicketPage>(`/tickets${query({ ...filters, sort, limit: PAGE, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = useMemo(() => tickets.data?.pages.flatMap((page) => page.data) ?? [], [tickets.data]);
  const virtualizer = useVirtualizer({
    count: tickets.hasNextPage ? rows.length + 1 : rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (lastIndex >= rows.length - 1 && tickets.hasNextPage && !tickets.isFetchingNextPage)
      void tickets.fetchNextPage();
  }, [lastIndex, rows.length, tickets]);
  // A new view starts with nothing selected.
  const filterKey = JSON.stringify(filters ?? null);
  const [selectionFor, setSelectionFor] = useState(filterKey);
  if (selectionFor !== filterKey) {
    setSelectionFor(filterKey);
    setSelected(new Set());
  }

  const move = (delta: number) => {
    const next = Math.max(0, Math.min(rows.length - 1, cursor + delta));
    setCursor(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };
  useShortcut('j', 'shortcuts.next', () => move(1));
  useShortcut('k', 'shortcuts.previous', () => move(-1));
  useShortcut('Enter', 'shortcuts.open', () => rows[cursor] && navigate(`/tickets/${rows[cursor]!.id}`));
  useShortcut('x', 'inbox.selectAll', () => {
    const row = rows[cursor];
    if (row) toggle(row.id);
  });

  function toggle(id: string) {
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  if (unknown) return <Redirect to="/inbox/unassigned" replace />;
  const allSelected = rows.length > 0 && rows.every((row) => selected.has(row.id));
  return (
    <section className="inbox" aria-labelledby="inbox-title">
      <div className="inbox-head">
        <h1 id="inbox-title">{title}</h1>
        <label className="sort">
          {t('inbox.sort')}{' '}
          <select value={sort} onChange={(event) => setSort(event.target.value as Sort)}>
            {(['last_activity', 'created', 'priority', 'updated'] as const).map((value) => (
              <option key={value} value={value}>
                {t(`inbox.sort.${value}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {selected.size > 0 && (
        <BulkBar
          ids={[...selected]}
          me={me}
          onDone={(outcome) => {
            setSelected(new Set());
            setBulkOutcome(outcome);
          }}
        />
      )}
      <p role="status" className={bulkOutcome ? 'bulk-outcome' : 'visually-hidden'}>
        {bulkOutcome}
      </p>
      {tickets.error && <p role="alert">{t('common.error', { detail: tickets.error.message })}</p>}
      <OnboardingCard me={me} />
      <div
        className="ticket-table"
        role="table"
        aria-labelledby="inbox-title"
        aria-rowcount={rows.length + 1}
      >
        <div className="ticket-row head" role="row" aria-rowindex={1}>
          <span role="columnheader" className="cell select">
            <input
              type="checkbox"
              aria-label={t('inbox.selectAll')}
              checked={allSelected}
              onChange={() => setSelected(allSelected ? new Set() : new Set(rows.map((row) => row.id)))}
            />
          </span>
          {columns.map(([className, label]) => (
            <span key={label} role="columnheader" className={`cell ${className}`}>
              {t(label)}
            </span>
          ))}
        </div>
        <div ref={scroller} className="ticket-scroller">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const ticket = rows[item.index];
              return (
                <div
                  key={ticket?.id ?? 'loader'}
                  className="virtual-row"
                  style={{ transform: `translateY(${item.start}px)`, height: item.size }}
                >
                  {ticket ? (
                    <TicketRow
                      ticket={ticket}
                      index={item.index + 2}
                      selected={selected.has(ticket.id)}
                      current={item.index === cursor}
                      onToggle={() => toggle(ticket.id)}
                    />
                  ) : (
                    <p className="loading">{t('common.loading')}</p>
                  )}
                </div>
              );
            })}
          </div>
          {!tickets.isPending && rows.length === 0 && <p className="empty">{t('inbox.empty')}</p>}
        </div>
      </div>
      <p className="visually-hidden" role="status">
        {tickets.isPending ? t('common.loading') : t('inbox.count', { count: rows.length })}
      </p>
    </section>
  );
}
