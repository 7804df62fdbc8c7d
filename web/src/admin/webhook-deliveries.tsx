import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api, query } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import { fullDate } from '../shell/format.ts';
import { ago, RowButton, useNotice } from './admin-kit.tsx';
import { AdminList, RowActions } from './admin-list.tsx';
import type { Delivery, DeliveryStatus, Webhook } from './admin-types.ts';

const statuses: DeliveryStatus[] = ['pending', 'succeeded', 'failed'];
const statusClass: Record<DeliveryStatus, string> = {
  pending: 'pill status-pending',
  succeeded: 'pill adm-pill-ok',
  failed: 'pill adm-pill-failed',
};

/** One webhook's recent deliveries: what was sent, how the receiver answered, and a way to send again. */
export function WebhookDeliveries({ webhook }: { webhook: Webhook }) {
  const client = useQueryClient();
  const notice = useNotice();
  const [status, setStatus] = useState<DeliveryStatus | ''>('');
  const key = ['webhook-deliveries', webhook.id, status];
  const deliveries = useQuery({
    queryKey: key,
    queryFn: ({ signal }) =>
      api<{ data: Delivery[] }>(`/webhooks/${webhook.id}/deliveries${query({ status, limit: 100 })}`, {
        signal,
      }),
    select: (r) => r.data,
    placeholderData: keepPreviousData,
    // Pending deliveries change on their own as the worker retries them.
    refetchInterval: (q) => (q.state.data?.data.some((d) => d.status === 'pending') ? 5_000 : false),
  });
  const redeliver = useMutation({
    mutationFn: (delivery: Delivery) =>
      api<Delivery>(`/webhooks/${webhook.id}/deliveries/${delivery.id}/redeliver`, { method: 'POST' }),
    onSuccess: (delivery) => {
      void client.invalidateQueries({ queryKey: ['webhook-deliveries', webhook.id] });
      notice.say(t('admin.deliveries.queued', { event: delivery.eventType }));
    },
    onError: notice.fail,
  });

  return (
    <section aria-labelledby="deliveries-title">
      <p>
        <Link href="/admin/webhooks">← {t('admin.deliveries.back')}</Link>
      </p>
      <div className="admin-head">
        <div>
          <h2 id="deliveries-title">{t('admin.deliveries.title')}</h2>
          <p className="muted">
            <span className="adm-mono">{webhook.url}</span> ·{' '}
            {webhook.active ? t('admin.webhooks.active') : t('admin.webhooks.pausedState')}
          </p>
        </div>
        <div className="adm-inline-controls">
          <label>
            {t('admin.deliveries.status')}{' '}
            <select value={status} onChange={(event) => setStatus(event.target.value as DeliveryStatus | '')}>
              <option value="">{t('admin.deliveries.all')}</option>
              {statuses.map((value) => (
                <option key={value} value={value}>
                  {t(`admin.deliveries.${value}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => void deliveries.refetch()} disabled={deliveries.isFetching}>
            {t('admin.deliveries.refresh')}
          </button>
        </div>
      </div>
      {notice.element}
      <AdminList
        error={deliveries.error}
        data={deliveries.data}
        empty={t('admin.deliveries.none')}
        columns={[
          t('admin.deliveries.event'),
          t('admin.deliveries.status'),
          { label: t('admin.deliveries.attempts'), className: 'adm-num' },
          { label: t('admin.deliveries.answer'), className: 'adm-num' },
          t('admin.deliveries.error'),
        ]}
      >
        {(delivery) => (
          <tr key={delivery.id}>
            <td>
              <span className="adm-mono">{delivery.eventType}</span>{' '}
              <span className="muted adm-small">#{delivery.eventId}</span>
              <div className="muted adm-small" title={fullDate(delivery.createdAt)}>
                {ago(delivery.createdAt)}
              </div>
            </td>
            <td>
              <span className={statusClass[delivery.status]}>{t(`admin.deliveries.${delivery.status}`)}</span>
              {delivery.nextAttemptAt && (
                <div className="muted adm-small" title={fullDate(delivery.nextAttemptAt)}>
                  {t('admin.deliveries.nextAt', {
                    time: new Date(delivery.nextAttemptAt).toLocaleTimeString(),
                  })}
                </div>
              )}
            </td>
            <td className="adm-num">{delivery.attempts}</td>
            <td className="adm-num">
              {delivery.lastStatusCode ?? '—'}
              {delivery.lastResponseMs !== null && (
                <div className="muted adm-small">
                  {t('admin.deliveries.ms', { ms: delivery.lastResponseMs })}
                </div>
              )}
            </td>
            <td className="adm-clip adm-error-cell" title={delivery.lastError ?? undefined}>
              {delivery.lastError ?? ''}
            </td>
            <RowActions subject={`${delivery.eventType} #${delivery.eventId}`}>
              <RowButton
                label={t('admin.deliveries.redeliver')}
                subject={`${delivery.eventType} #${delivery.eventId}`}
                disabled={redeliver.isPending && redeliver.variables.id === delivery.id}
                onClick={() => redeliver.mutate(delivery)}
              />
            </RowActions>
          </tr>
        )}
      </AdminList>
    </section>
  );
}
