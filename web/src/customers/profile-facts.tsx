import { ago } from '../admin/admin-kit.tsx';
import type { Customer } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { fullDate } from '../shell/format.ts';
import { type BusinessEvent, type Lifetime, money } from './customer-api.ts';
import { FactList } from './identity-facts.tsx';

/** The customer's service level ("vip") as a badge, and whether proactive and marketing messages may reach them. */
export function TierAndConsent({ customer }: { customer: Customer }) {
  return (
    <ul className="c360-badges" aria-label={t('customer.standing')}>
      <li className={customer.tier ? 'pill c360-tier' : 'pill'}>
        {customer.tier ? t('customer.tier', { tier: customer.tier }) : t('customer.noTier')}
      </li>
      <ConsentFlag given={customer.consentProactive} label={t('customer.consent.proactive')} />
      <ConsentFlag given={customer.consentMarketing} label={t('customer.consent.marketing')} />
    </ul>
  );
}

function ConsentFlag({ given, label }: { given: boolean; label: string }) {
  return (
    <li className={given ? 'pill c360-consent-yes' : 'pill c360-consent-no'}>
      {t(given ? 'customer.consent.yes' : 'customer.consent.no', { what: label })}
    </li>
  );
}

/** Orders and their value, tickets (open ones), average CSAT and the last contact, as a definition list. */
export function LifetimeFacts({ lifetime }: { lifetime: Lifetime }) {
  const rows: [string, string][] = [
    [
      t('customer.lifetime.orders'),
      t('customer.lifetime.ordersValue', {
        n: lifetime.orders,
        value: money(lifetime.orderValue, lifetime.currency),
      }),
    ],
    [
      t('customer.lifetime.tickets'),
      t('customer.lifetime.ticketsOpen', { n: lifetime.tickets, open: lifetime.openTickets }),
    ],
    [
      t('customer.lifetime.csat'),
      lifetime.averageCsat === null
        ? t('customer.lifetime.noCsat')
        : t('customer.lifetime.csatValue', { score: lifetime.averageCsat, n: lifetime.csatAnswers }),
    ],
    [
      t('customer.lifetime.lastContact'),
      lifetime.lastContactAt ? ago(lifetime.lastContactAt) : t('common.none'),
    ],
  ];
  return <FactList rows={rows} className="facts c360-lifetime" label={t('customer.lifetime.title')} />;
}

type OrderItem = { sku?: unknown; name?: unknown; quantity?: unknown };
const itemsOf = (data: Record<string, unknown>): OrderItem[] =>
  Array.isArray(data.items) ? (data.items as OrderItem[]) : [];

/** The latest order: its number, value, date and items. */
export function LatestOrder({ order }: { order: BusinessEvent | null }) {
  if (!order) return <p className="muted small">{t('customer.noOrders')}</p>;
  const items = itemsOf(order.data);
  return (
    <div className="c360-order">
      <p>
        <strong>{t('customer.orderNumber', { number: order.orderNumber ?? '?' })}</strong>
        {order.amount !== null && <> · {money(order.amount, order.currency)}</>}{' '}
        <time className="muted small" dateTime={order.occurredAt} title={fullDate(order.occurredAt)}>
          {new Date(order.occurredAt).toLocaleDateString()}
        </time>
      </p>
      {items.length > 0 && (
        <ul className="c360-items small">
          {items.slice(0, 5).map((item, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: an order's items are a fixed list that may repeat a SKU.
            <li key={`${String(item.sku)}-${index}`}>
              {Number(item.quantity ?? 1)} × {String(item.name || item.sku)}
            </li>
          ))}
          {items.length > 5 && <li className="muted">{t('customer.moreItems', { n: items.length - 5 })}</li>}
        </ul>
      )}
    </div>
  );
}
