import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import { fullDate } from '../shell/format.ts';
import { ticketKey } from './ticket-api.ts';

/** One outbound email of a ticket, as GET /tickets/:id/email-deliveries lists it. */
export type EmailDelivery = {
  id: string;
  kind: 'reply' | 'notification';
  messageId: string | null;
  status: 'queued' | 'sent' | 'failed' | 'bounced';
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
  bouncedAt: string | null;
  to: string[];
  cc: string[];
  createdAt: string;
};

// Under the ticket's key: message and ticket events refresh it with the rest, email.delivery_updated alone.
export const deliveriesKey = (ticketId: string) => [...ticketKey(ticketId), 'email-deliveries'] as const;

/** The emails of the ticket's public replies, by the message they carry (the newest one per message). */
export function useReplyDeliveries(ticketId: string, enabled: boolean) {
  return useQuery({
    queryKey: deliveriesKey(ticketId),
    queryFn: () => api<{ data: EmailDelivery[] }>(`/tickets/${ticketId}/email-deliveries`),
    enabled,
    select: (r) => {
      const byMessage = new Map<string, EmailDelivery>();
      for (const delivery of r.data) {
        if (delivery.kind !== 'reply' || !delivery.messageId) continue;
        const seen = byMessage.get(delivery.messageId);
        if (!seen || seen.createdAt <= delivery.createdAt) byMessage.set(delivery.messageId, delivery);
      }
      return byMessage;
    },
  });
}

const statusClass: Record<EmailDelivery['status'], string> = {
  queued: 'delivery queued',
  sent: 'delivery sent',
  failed: 'delivery failed',
  bounced: 'delivery failed',
};

function statusText(delivery: EmailDelivery): string {
  const reason = delivery.lastError || t('email.delivery.unknownReason');
  if (delivery.status === 'failed') return t('email.delivery.failed', { reason });
  if (delivery.status === 'bounced') return t('email.delivery.bounced', { reason });
  return t(`email.delivery.${delivery.status}`);
}

/** Where a reply's email stands (Queued, Emailed to …, Failed: why), with Retry for admins on a failure. */
export function DeliveryStatus({
  delivery,
  ticketId,
  admin,
}: {
  delivery: EmailDelivery;
  ticketId: string;
  admin: boolean;
}) {
  const client = useQueryClient();
  const retry = useMutation({
    mutationFn: () =>
      api<EmailDelivery>(`/channels/email/deliveries/${delivery.id}/retry`, { method: 'POST' }),
    onSettled: () => void client.invalidateQueries({ queryKey: deliveriesKey(ticketId) }),
  });
  const recipients = [...delivery.to, ...delivery.cc].join(', ');
  const when = delivery.sentAt ?? delivery.bouncedAt;
  return (
    <div className={statusClass[delivery.status]} role="status">
      <span className="delivery-mark" aria-hidden="true" />
      <span className="delivery-text" title={when ? fullDate(when) : undefined}>
        {statusText(delivery)}
      </span>
      {recipients && <span className="muted">{t('email.delivery.to', { to: recipients })}</span>}
      {admin && delivery.status === 'failed' && (
        <button
          type="button"
          className="delivery-retry"
          onClick={() => retry.mutate()}
          disabled={retry.isPending}
        >
          {t('email.delivery.retry')}
        </button>
      )}
      {retry.error && <span className="error">{retry.error.message}</span>}
    </div>
  );
}
