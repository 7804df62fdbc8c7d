import { Link } from 'wouter';
import type { Message, TicketEvent } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { ChannelIcon } from '../shell/channel-icon.tsx';
import { useMemberName, useTeams } from '../shell/directory.ts';
import { AttachmentList } from './attachment-list.tsx';
import { CallFacts } from './call-facts.tsx';
import { DeliveryStatus, type EmailDelivery, useReplyDeliveries } from './email-delivery.tsx';
import { emailMetaOf, skippedAttachmentsOf } from './email-meta.ts';
import { EmailHeaders, SkippedAttachments } from './email-parts.tsx';
import { MessageBody } from './message-body.tsx';
import { MessagingDeliveryStatus } from './messaging-delivery.tsx';
import { useTicketFields } from './ticket-api.ts';
import { describeEvent, timeStamp } from './ticket-format.ts';
import './email-message.css';

type Entry =
  | { kind: 'message'; at: number; message: Message }
  | { kind: 'event'; at: number; event: TicketEvent };

/** Messages and history merged by time; a message sorts before the status change it caused. */
function merge(messages: Message[], events: TicketEvent[]): Entry[] {
  const entries: Entry[] = [
    ...messages.map((message) => ({ kind: 'message' as const, at: Date.parse(message.createdAt), message })),
    ...events.map((event) => ({ kind: 'event' as const, at: Date.parse(event.createdAt), event })),
  ];
  return entries.sort((a, b) => a.at - b.at || (a.kind === b.kind ? 0 : a.kind === 'message' ? -1 : 1));
}

function authorName(message: Message): string {
  if (message.author.name) return message.author.name;
  return message.author.type === 'customer' ? t('ticket.customer') : t('ticket.system');
}

type MessageItemProps = {
  message: Message;
  unseen: boolean;
  delivery: EmailDelivery | undefined;
  ticketId: string;
  admin: boolean;
};

function MessageItem({ message, unseen, delivery, ticketId, admin }: MessageItemProps) {
  const name = authorName(message);
  const email = emailMetaOf(message);
  const note = message.kind === 'internal_note';
  const fromCustomer = message.kind === 'customer_message';
  const role = note ? t('ticket.internalNote') : fromCustomer ? t('ticket.customer') : t('ticket.agentReply');
  return (
    <article
      className={`message ${note ? 'note' : fromCustomer ? 'from-customer' : 'from-agent'}`}
      aria-label={t('ticket.messageBy', { name, role })}
      data-message-id={message.id}
    >
      <header className="message-head">
        <span className="avatar" aria-hidden="true">
          {name.slice(0, 1).toUpperCase()}
        </span>
        <strong className="author">{name}</strong>
        <span className={`role-badge ${note ? 'note' : fromCustomer ? 'customer' : 'agent'}`}>{role}</span>
        {!note && (
          <span className="via">
            <ChannelIcon channel={message.channel} /> {t(`channel.${message.channel}`)}
          </span>
        )}
        {email?.autoReply && <span className="auto-reply-badge">{t('email.autoReply')}</span>}
        {unseen && <span className="new-badge">{t('ticket.new')}</span>}
        <time dateTime={message.createdAt} className="muted when">
          {timeStamp(message.createdAt)}
        </time>
      </header>
      {email && <EmailHeaders meta={email} />}
      <MessageBody
        html={message.html}
        body={message.body}
        title={t('ticket.messageFrom', { name })}
        quoteStart={email?.quoteStart ?? null}
      />
      <CallFacts message={message} />
      <AttachmentList attachments={message.attachments} />
      <SkippedAttachments skipped={skippedAttachmentsOf(message)} />
      {delivery && <DeliveryStatus delivery={delivery} ticketId={ticketId} admin={admin} />}
      <MessagingDeliveryStatus message={message} />
    </article>
  );
}

function EventItem({ event }: { event: TicketEvent }) {
  const member = useMemberName();
  const { data: teams } = useTeams();
  const { data: fields } = useTicketFields();
  const actor = member(event.actorUserId) ?? t('ticket.system');
  const lines = describeEvent(event, actor, {
    member,
    team: (id) => teams?.find((team) => team.id === id)?.name,
    field: (key) => fields?.find((field) => field.key === key)?.label ?? key,
  });
  if (lines.length === 0) return null;
  return (
    <li className="event-line">
      {lines.map((line) => (
        <span key={line.text}>{line.linkTo ? <Link href={line.linkTo}>{line.text}</Link> : line.text}</span>
      ))}
      <time dateTime={event.createdAt} className="muted">
        {timeStamp(event.createdAt)}
      </time>
    </li>
  );
}

/** The whole conversation: customer messages, replies, internal notes and status changes, oldest first. */
export function Timeline(props: {
  ticketId: string;
  admin: boolean;
  messages: Message[];
  events: TicketEvent[];
  unseen: Set<string>;
}) {
  const entries = merge(props.messages, props.events);
  // Only agents' public replies are emailed; a ticket without one needs no delivery list.
  const replied = props.messages.some((message) => message.kind === 'public_reply');
  const { data: deliveries } = useReplyDeliveries(props.ticketId, replied);
  return (
    <ol className="timeline" aria-label={t('ticket.timeline')}>
      {entries.map((entry) =>
        entry.kind === 'message' ? (
          <li key={entry.message.id}>
            <MessageItem
              message={entry.message}
              unseen={props.unseen.has(entry.message.id)}
              delivery={deliveries?.get(entry.message.id)}
              ticketId={props.ticketId}
              admin={props.admin}
            />
          </li>
        ) : (
          <EventItem key={`event-${entry.event.id}`} event={entry.event} />
        ),
      )}
    </ol>
  );
}
