import { useQueries } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api } from '../api/client.ts';
import type { Ticket } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { timeStamp } from '../ticket/ticket-format.ts';
import { type CallbackStatus, customerClock, useCallbacks, useSetCallbackStatus } from './phone-api.ts';
import './phone.css';

const statuses: CallbackStatus[] = ['pending', 'done', 'cancelled'];

/** The call back queue: what customers asked for (web form, widget or API), soonest first. */
export default function CallbacksPage() {
  const [status, setStatus] = useState<CallbackStatus>('pending');
  const callbacks = useCallbacks(status);
  const change = useSetCallbackStatus();
  const tickets = useQueries({
    queries: (callbacks.data ?? []).map((callback) => ({
      queryKey: ['ticket', callback.ticketId ?? ''],
      queryFn: () => api<Ticket>(`/tickets/${callback.ticketId}`),
      enabled: Boolean(callback.ticketId),
    })),
  });
  return (
    <div className="callbacks-page page">
      <h1>{t('phone.callbacks.title')}</h1>
      <p className="muted">{t('phone.callbacks.intro')}</p>
      <label>
        {t('phone.callbacks.show')}{' '}
        <select value={status} onChange={(event) => setStatus(event.target.value as CallbackStatus)}>
          {statuses.map((value) => (
            <option key={value} value={value}>
              {t(`phone.callbacks.status.${value}`)}
            </option>
          ))}
        </select>
      </label>
      {callbacks.error && (
        <p role="alert" className="error">
          {t('common.error', { detail: callbacks.error.message })}
        </p>
      )}
      {callbacks.data?.length === 0 && <p className="muted">{t('phone.callbacks.empty')}</p>}
      {Boolean(callbacks.data?.length) && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('phone.callbacks.when')}</th>
              <th scope="col">{t('phone.number')}</th>
              <th scope="col">{t('phone.callbacks.ticket')}</th>
              <th scope="col">{t('phone.notes')}</th>
              {status === 'pending' && <th scope="col">{t('phone.callbacks.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {callbacks.data?.map((callback, index) => {
              const ticket = tickets[index]?.data;
              return (
                <tr key={callback.id}>
                  <td>
                    <strong>{timeStamp(callback.preferredAt)}</strong>
                    <br />
                    <span className="muted small">
                      {t('phone.callbacks.theirClock', {
                        time: customerClock(callback.preferredAt, callback.timeZone),
                        zone: callback.timeZone,
                      })}
                    </span>
                  </td>
                  <td>
                    <a href={`tel:${callback.phone.replace(/[^\d+]/g, '')}`}>{callback.phone}</a>
                  </td>
                  <td>
                    {callback.ticketId && (
                      <Link href={`/tickets/${callback.ticketId}`}>
                        {ticket ? `#${ticket.number} ${ticket.subject}` : t('common.loading')}
                      </Link>
                    )}
                  </td>
                  <td>{callback.notes}</td>
                  {status === 'pending' && (
                    <td className="actions">
                      <button
                        type="button"
                        disabled={change.isPending}
                        onClick={() => change.mutate({ id: callback.id, status: 'done' })}
                      >
                        {t('phone.callbacks.done')}
                      </button>
                      <button
                        type="button"
                        disabled={change.isPending}
                        onClick={() => change.mutate({ id: callback.id, status: 'cancelled' })}
                      >
                        {t('phone.callbacks.cancel')}
                      </button>
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {change.error && (
        <p role="alert" className="error">
          {t('common.error', { detail: change.error.message })}
        </p>
      )}
    </div>
  );
}
