import { Link } from 'wouter';
import type { Ticket } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { MoodPill } from '../intel/mood-badge.tsx';
import { ChannelIcon } from '../shell/channel-icon.tsx';
import { useMemberName } from '../shell/directory.ts';
import { age } from '../shell/format.ts';
import { SlaBadge } from '../sla/sla-badge.tsx';

const waitingStatuses = new Set(['new', 'open']);

export function TicketRow(props: {
  ticket: Ticket;
  index: number;
  selected: boolean;
  current: boolean;
  onToggle: () => void;
}) {
  const { ticket } = props;
  const memberName = useMemberName();
  return (
    <div
      className={`ticket-row${props.current ? ' cursor' : ''}${props.selected ? ' selected' : ''}`}
      role="row"
      aria-rowindex={props.index}
      aria-selected={props.selected}
      data-ticket-id={ticket.id}
    >
      <span role="cell" className="cell select">
        <input
          type="checkbox"
          aria-label={t('inbox.selectTicket', { number: ticket.number })}
          checked={props.selected}
          onChange={props.onToggle}
        />
      </span>
      <span role="cell" className="cell subject">
        <ChannelIcon channel={ticket.channel} />
        <Link href={`/tickets/${ticket.id}`} className="subject-link">
          <span className="number">#{ticket.number}</span> {ticket.subject}
        </Link>
        <span className="customer">{ticket.customer.name || ticket.customer.email}</span>
        {/* A neutral mood is the norm: only the telling ones earn space in the list. */}
        {ticket.mood && ticket.mood.label !== 'neutral' && <MoodPill mood={ticket.mood} compact />}
        <SlaBadge sla={ticket.sla} />
      </span>
      <span role="cell" className="cell status">
        <span className={`pill status-${ticket.status}`}>{t(`status.${ticket.status}`)}</span>
      </span>
      <span role="cell" className={`cell priority priority-${ticket.priority}`}>
        {t(`priority.${ticket.priority}`)}
      </span>
      <span role="cell" className="cell assignee">
        {memberName(ticket.assigneeId) ?? <span className="muted">{t('inbox.unassignedName')}</span>}
      </span>
      <span role="cell" className="cell age" title={ticket.lastActivityAt}>
        {age(ticket.lastActivityAt)}
      </span>
      <span role="cell" className="cell age">
        {waitingStatuses.has(ticket.status) ? age(ticket.lastActivityAt) : ''}
      </span>
    </div>
  );
}
