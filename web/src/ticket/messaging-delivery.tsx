import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { Message } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { fullDate } from '../shell/format.ts';
import { ticketKey } from './ticket-api.ts';

type MessagingDelivery = {
  messageId: string;
  status: 'pending' | 'sent' | 'delivered' | 'read' | 'failed';
  attempts: number;
  lastError: string | null;
  updatedAt: string;
};

const tone: Record<MessagingDelivery['status'], string> = {
  pending: 'delivery queued',
  sent: 'delivery sent',
  delivered: 'delivery sent',
  read: 'delivery sent',
  failed: 'delivery failed',
};

/** One query per ticket, shared by its replies, refreshed with the rest of the ticket. */
function useMessagingDeliveries(ticketId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...ticketKey(ticketId), 'messaging-deliveries'],
    queryFn: () => api<{ data: MessagingDelivery[] }>(`/tickets/${ticketId}/messaging-deliveries`),
    enabled,
    select: (r) => new Map(r.data.map((delivery) => [delivery.messageId, delivery])),
  });
}

/** Where an agent's reply on WhatsApp, Telegram or a bridge stands: sending, sent, delivered, read, failed. */
export function MessagingDeliveryStatus({ message }: { message: Message }) {
  const applies = message.kind === 'public_reply' && message.channel === 'social';
  const { data } = useMessagingDeliveries(message.ticketId, applies);
  const delivery = applies ? data?.get(message.id) : undefined;
  if (!delivery) return null;
  return (
    <div className={tone[delivery.status]} role="status">
      <span className="delivery-mark" aria-hidden="true" />
      <span className="delivery-text" title={fullDate(delivery.updatedAt)}>
        {delivery.status === 'failed'
          ? t('messaging.delivery.failed', {
              reason: delivery.lastError ?? t('email.delivery.unknownReason'),
            })
          : t(`messaging.delivery.${delivery.status}`)}
      </span>
    </div>
  );
}
