import { useCallback, useEffect, useMemo, useRef } from 'react';
import { t } from '../i18n/i18n.ts';
import { onStream, sendPresence, usePresence, useStreamConnected } from '../realtime/stream.ts';
import { useMemberName } from '../shell/directory.ts';

const HEARTBEAT_MS = 20_000;
const TYPING_EVERY_MS = 3_000;
const TYPING_PAUSE_MS = 4_000;

/**
 * Tells other agents this one is on the ticket (again every 20 s, and after a reconnect), and gone
 * when the page closes. Returns a function to call on each keystroke: it says "typing" at most every
 * few seconds and "viewing" again after a pause (or at once, after a send, with `idle`).
 */
export function useAnnouncePresence(ticketId: string): { typing: () => void; idle: () => void } {
  const connected = useStreamConnected();
  const typingSince = useRef(0);
  const pause = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    if (!connected) return;
    sendPresence(ticketId, 'viewing');
    const beat = setInterval(
      () => sendPresence(ticketId, typingSince.current ? 'typing' : 'viewing'),
      HEARTBEAT_MS,
    );
    return () => clearInterval(beat);
  }, [ticketId, connected]);
  useEffect(
    () => () => {
      clearTimeout(pause.current);
      sendPresence(ticketId, 'left');
    },
    [ticketId],
  );
  // Someone new arrived on this ticket: tell them at once that we are here, not at the next heartbeat.
  useEffect(() => {
    const known = new Set<string>();
    return onStream((frame) => {
      const data = frame.data as { ticketId?: string; userId?: string; state?: string } | undefined;
      if (frame.type !== 'presence' || data?.ticketId !== ticketId || !data.userId) return;
      if (data.state === 'left') known.delete(data.userId);
      else if (!known.has(data.userId)) {
        known.add(data.userId);
        sendPresence(ticketId, typingSince.current ? 'typing' : 'viewing');
      }
    });
  }, [ticketId]);
  const idle = useCallback(() => {
    clearTimeout(pause.current);
    if (!typingSince.current) return;
    typingSince.current = 0;
    sendPresence(ticketId, 'viewing');
  }, [ticketId]);
  const typing = useCallback(() => {
    const now = Date.now();
    if (now - typingSince.current > TYPING_EVERY_MS) {
      typingSince.current = now;
      sendPresence(ticketId, 'typing');
    }
    clearTimeout(pause.current);
    pause.current = setTimeout(idle, TYPING_PAUSE_MS);
  }, [ticketId, idle]);
  return useMemo(() => ({ typing, idle }), [typing, idle]);
}

/** "Sam is typing…": who else has this ticket open right now. */
export function PresenceBanner({ ticketId, selfId }: { ticketId: string; selfId: string }) {
  const others = usePresence(ticketId, selfId);
  const name = useMemberName();
  const typing = others.filter((o) => o.state === 'typing').map((o) => name(o.userId) ?? t('ticket.someone'));
  const viewing = others
    .filter((o) => o.state === 'viewing')
    .map((o) => name(o.userId) ?? t('ticket.someone'));
  return (
    <div role="status" className={others.length ? 'presence active' : 'presence'}>
      {typing.length > 0 && (
        <span className="typing">
          {t(typing.length > 1 ? 'ticket.presence.typingMany' : 'ticket.presence.typing', {
            names: typing.join(', '),
          })}
        </span>
      )}
      {viewing.length > 0 && (
        <span>
          {t(viewing.length > 1 ? 'ticket.presence.viewingMany' : 'ticket.presence.viewing', {
            names: viewing.join(', '),
          })}
        </span>
      )}
    </div>
  );
}
