import type { Me } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';

export default function TicketPage({ id }: { id: string; me: Me }) {
  return <h1>{t('ticket.title', { number: id })}</h1>;
}
