import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import { ApiError } from '../api/client.ts';
import type { Me, Ticket } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { IntelPanel } from '../intel/intel-panel.tsx';
import { TicketMood } from '../intel/mood-badge.tsx';
import { useShortcut } from '../keyboard/shortcuts.ts';
import { ChannelIcon } from '../shell/channel-icon.tsx';
import { useMemberName } from '../shell/directory.ts';
import { ChatPanel } from './chat-panel.tsx';
import { Composer, type ComposerMode } from './composer.tsx';
import { CustomerPanel } from './customer-panel.tsx';
import { LinksSection } from './links-section.tsx';
import { MacroPanel } from './macro-panel.tsx';
import { MergeDialog } from './merge-dialog.tsx';
import { PresenceBanner, useAnnouncePresence } from './presence.tsx';
import { PropertiesPanel } from './properties-panel.tsx';
import { useSeenMessages } from './seen-messages.ts';
import { SlaPanel } from './sla-panel.tsx';
import { useEvents, useMessages, useTicket, useUpdateTicket } from './ticket-api.ts';
import { timeStamp } from './ticket-format.ts';
import { useTicketSteps } from './ticket-navigation.ts';
import { Timeline } from './timeline.tsx';

const fieldTags = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

function TicketHeader({ ticket, onMerge }: { ticket: Ticket; onMerge: () => void }) {
  const memberName = useMemberName();
  return (
    <header className="ticket-head">
      <div className="ticket-title">
        <h1 id="ticket-title">
          <span className="number">#{ticket.number}</span> {ticket.subject}
        </h1>
        <p className="ticket-meta muted">
          <ChannelIcon channel={ticket.channel} />{' '}
          <span className={`pill status-${ticket.status}`}>{t(`status.${ticket.status}`)}</span>{' '}
          <TicketMood ticketId={ticket.id} />{' '}
          {t('ticket.meta', {
            customer: ticket.customer.name || ticket.customer.email || '',
            created: timeStamp(ticket.createdAt),
            assignee: memberName(ticket.assigneeId) ?? t('inbox.unassignedName'),
          })}
        </p>
      </div>
      {ticket.permissions.merge && (
        <button type="button" onClick={onMerge}>
          {t('ticket.merge.open')}
        </button>
      )}
    </header>
  );
}

function TicketView({ id, me }: { id: string; me: Me }) {
  const ticket = useTicket(id);
  const messages = useMessages(id);
  const events = useEvents(id);
  const update = useUpdateTicket(id);
  const seen = useSeenMessages(id, messages.data, me.user.id);
  const presence = useAnnouncePresence(id);
  const step = useTicketSteps(id);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const [mode, setMode] = useState<ComposerMode>('public_reply');
  const [merging, setMerging] = useState(false);
  const followNewest = useRef(false);
  const permissions = ticket.data?.permissions;
  const effectiveMode: ComposerMode = permissions && !permissions.reply ? 'internal_note' : mode;

  const focusComposer = (next: ComposerMode) => {
    if (next === 'public_reply' && !permissions?.reply) return;
    if (next === 'internal_note' && !permissions?.note) return;
    setMode(next);
    requestAnimationFrame(() => {
      const element = textarea.current;
      element?.focus();
      element?.setSelectionRange(element.value.length, element.value.length);
    });
  };
  useShortcut('j', 'shortcuts.next', () => void step(1));
  useShortcut('k', 'shortcuts.previous', () => void step(-1));
  useShortcut('r', 'shortcuts.reply', () => focusComposer('public_reply'));
  useShortcut('n', 'shortcuts.note', () => focusComposer('internal_note'));
  useShortcut('s', 'shortcuts.solve', () => {
    if (ticket.data?.permissions.update && ticket.data.status !== 'solved')
      update.mutate({ status: 'solved' });
  });

  const loaded = Boolean(messages.data && events.data);
  // New entries keep the view at the bottom if it was there, and always after the agent's own send.
  const atBottom = useRef(true);
  const count = (messages.data?.length ?? 0) + (events.data?.length ?? 0);
  useEffect(() => {
    if (!count || !(atBottom.current || followNewest.current)) return;
    followNewest.current = false;
    requestAnimationFrame(() => {
      if (scroller.current) scroller.current.scrollTop = scroller.current.scrollHeight;
    });
  }, [count]);
  const onScroll = () => {
    const element = scroller.current;
    if (element) atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 60;
  };

  const leaveField = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement;
    if (event.key === 'Escape' && fieldTags.has(target.tagName) && !target.closest('dialog')) target.blur();
  };

  if (ticket.error) {
    const missing = ticket.error instanceof ApiError && ticket.error.status === 404;
    return (
      <p role="alert" className="page">
        {missing ? t('ticket.missing') : t('common.error', { detail: ticket.error.message })}
      </p>
    );
  }
  if (!ticket.data) return <p className="loading">{t('common.loading')}</p>;
  const current = ticket.data;
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Escape leaves whichever field has focus.
    <div className="ticket-page" onKeyDown={leaveField}>
      <section className="ticket-main" aria-labelledby="ticket-title">
        <TicketHeader ticket={current} onMerge={() => setMerging(true)} />
        {current.mergedIntoId && (
          <p role="status" className="merged-banner">
            {t('ticket.mergedInto')}{' '}
            <Link href={`/tickets/${current.mergedIntoId}`}>{t('ticket.openMerged')}</Link>
          </p>
        )}
        <PresenceBanner ticketId={id} selfId={me.user.id} />
        <div className="timeline-scroller" ref={scroller} onScroll={onScroll}>
          {(messages.error || events.error) && (
            <p role="alert">{t('common.error', { detail: (messages.error ?? events.error)!.message })}</p>
          )}
          {loaded ? (
            <Timeline
              ticketId={id}
              admin={me.user.role === 'admin'}
              messages={messages.data ?? []}
              events={events.data ?? []}
              unseen={seen.unseen}
            />
          ) : (
            <p className="loading">{t('common.loading')}</p>
          )}
        </div>
        <Composer
          ticket={current}
          mode={effectiveMode}
          onMode={setMode}
          textarea={textarea}
          lastSeenId={seen.lastSeenId}
          onSent={(message) => {
            seen.sent(message);
            presence.idle();
            followNewest.current = true;
          }}
          onConflict={() => {
            seen.acknowledge();
            // Bring the first message the agent has not seen into view for review.
            requestAnimationFrame(() =>
              scroller.current
                ?.querySelector('.new-badge')
                ?.closest('article')
                ?.scrollIntoView({ block: 'nearest' }),
            );
          }}
          onTyping={presence.typing}
        />
      </section>
      <aside className="ticket-side" aria-label={t('ticket.details')}>
        {current.channel === 'chat' && <ChatPanel ticketId={id} />}
        <PropertiesPanel ticket={current} update={update} />
        <SlaPanel ticketId={id} />
        {current.permissions.reply && current.permissions.update && <MacroPanel ticket={current} />}
        <LinksSection ticket={current} />
        <IntelPanel
          ticketId={id}
          canReply={current.permissions.reply}
          canUpdate={current.permissions.update}
        />
        <CustomerPanel ticket={current} canEdit={me.user.role !== 'light'} />
      </aside>
      {current.permissions.merge && (
        <MergeDialog ticket={current} open={merging} onClose={() => setMerging(false)} />
      )}
    </div>
  );
}

/** One ticket: its conversation, the composer, and panels for its fields and its customer. */
export default function TicketPage({ id, me }: { id: string; me: Me }) {
  // A fresh view per ticket: j/k must not carry one ticket's state into the next.
  return <TicketView key={id} id={id} me={me} />;
}
