import { Link } from 'wouter';
import type { TicketStatus } from '../api/types.ts';
import { type MessageKey, t } from '../i18n/i18n.ts';
import { fullDate } from '../shell/format.ts';
import { money, type TimelineEntry, useCustomerTimeline } from './customer-api.ts';

const messageKinds: Record<string, MessageKey> = {
  customer_message: 'customer.timeline.fromCustomer',
  public_reply: 'customer.timeline.reply',
  internal_note: 'customer.timeline.note',
};

const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));

/** One line about a business event: the order and its value for orders, the order and carrier for shipments. */
export function eventSummary(type: string, data: Record<string, unknown> | null): string {
  if (!data) return '';
  if (type.startsWith('order.')) {
    const items = Array.isArray(data.items) ? (data.items as { price?: unknown; quantity?: unknown }[]) : [];
    // As the server does: the total defaults to the items' sum.
    const sum = items.reduce(
      (total, item) => total + Number(item.price ?? 0) * Number(item.quantity ?? 1),
      0,
    );
    const total = typeof data.total === 'number' ? data.total : items.length ? sum : null;
    return [
      t('customer.orderNumber', { number: text(data.number) }),
      total === null ? '' : money(Math.round(total * 100) / 100, text(data.currency) || null),
      t('customer.items', { n: items.length }),
    ]
      .filter(Boolean)
      .join(' · ');
  }
  if (type.startsWith('shipment.') || type.startsWith('payment.'))
    return [
      data.order_number ? t('customer.orderNumber', { number: text(data.order_number) }) : '',
      text(data.carrier),
      text(data.status),
    ]
      .filter(Boolean)
      .join(' · ');
  // Free-form events: their first few fields, as sent.
  return Object.entries(data)
    .slice(0, 4)
    .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : text(value)}`)
    .join(' · ');
}

function TicketRef({ entry }: { entry: TimelineEntry }) {
  if (!entry.ticketId) return null;
  return <Link href={`/tickets/${entry.ticketId}`}>#{entry.ticketNumber}</Link>;
}

function EntryBody({ entry }: { entry: TimelineEntry }) {
  switch (entry.kind) {
    case 'ticket':
      return (
        <>
          <span className="c360-kind">{t('customer.timeline.ticket')}</span> <TicketRef entry={entry} />{' '}
          {entry.title}{' '}
          <span className={`pill status-${entry.detail}`}>{t(`status.${entry.detail as TicketStatus}`)}</span>
        </>
      );
    case 'message':
      return (
        <>
          <span className="c360-kind">{t(messageKinds[entry.detail] ?? 'customer.timeline.message')}</span>{' '}
          <TicketRef entry={entry} /> <span className="c360-excerpt">{entry.title}</span>
        </>
      );
    case 'csat':
      return (
        <>
          <span className="c360-kind">{t('customer.timeline.csat', { score: entry.score ?? '?' })}</span>{' '}
          <TicketRef entry={entry} /> {entry.title && <q>{entry.title}</q>}
        </>
      );
    case 'event':
      return (
        <>
          <span className="c360-kind c360-event-type">{entry.title}</span>{' '}
          <span>{eventSummary(entry.title, entry.data)}</span>
        </>
      );
  }
}

/** Everything the customer did or was told, across channels, newest first; older pages load on demand. */
export function CustomerTimeline({ customerId }: { customerId: string }) {
  const timeline = useCustomerTimeline(customerId);
  const entries = timeline.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <section className="c360-timeline" aria-labelledby="customer-timeline-title">
      <h2 id="customer-timeline-title">{t('customer.timeline.title')}</h2>
      {timeline.error && (
        <p role="alert" className="error">
          {t('common.error', { detail: timeline.error.message })}
        </p>
      )}
      {timeline.isSuccess && entries.length === 0 && <p className="empty">{t('customer.timeline.empty')}</p>}
      <ol className="c360-timeline-list" aria-label={t('customer.timeline.title')}>
        {entries.map((entry) => (
          <li key={`${entry.kind}:${entry.id}`} className={`c360-entry c360-${entry.kind}`}>
            <time dateTime={entry.at} className="muted small">
              {fullDate(entry.at)}
            </time>
            {entry.channel && <span className="muted small"> · {entry.channel}</span>}
            <div>
              <EntryBody entry={entry} />
            </div>
          </li>
        ))}
      </ol>
      {timeline.hasNextPage && (
        <button
          type="button"
          disabled={timeline.isFetchingNextPage}
          onClick={() => void timeline.fetchNextPage()}
        >
          {timeline.isFetchingNextPage ? t('common.loading') : t('customer.timeline.older')}
        </button>
      )}
    </section>
  );
}
