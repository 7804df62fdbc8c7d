import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import { onStream } from '../realtime/stream.ts';
import { timeStamp } from './ticket-format.ts';

type ChatState = {
  ticketId: string;
  lastSeq: number;
  visitorReadSeq: number;
  agentReadSeq: number;
  online: boolean;
  pageUrl: string | null;
  pageTitle: string | null;
  lastSeenAt: string | null;
};

// A typing signal the visitor never took back (closed tab) fades after this long.
const TYPING_FADE_MS = 6_000;

const chatKey = (ticketId: string) => ['chat', ticketId] as const;

/**
 * A chat ticket's live side: whether the visitor is connected, the page they are on, whether they are
 * typing and how far they have read. Viewing the ticket marks the chat read for the visitor's receipt;
 * the agent's own typing reaches the visitor through the presence the composer already announces.
 */
export function ChatPanel({ ticketId }: { ticketId: string }) {
  const client = useQueryClient();
  const state = useQuery({
    queryKey: chatKey(ticketId),
    queryFn: () => api<ChatState>(`/chat/conversations/${ticketId}`),
  });
  const [typingAt, setTypingAt] = useState(0);
  const [, tick] = useState(0);

  useEffect(() => {
    const markRead = () => {
      if (document.visibilityState !== 'visible') return;
      api(`/chat/conversations/${ticketId}/read`, { method: 'POST', body: {} }).catch(() => {});
    };
    markRead();
    const patch = (change: Partial<ChatState>) =>
      client.setQueryData<ChatState>(chatKey(ticketId), (old) => (old ? { ...old, ...change } : old));
    const stop = onStream((frame) => {
      const data = frame.data ?? {};
      if (data.ticketId !== ticketId) return;
      if (frame.type === 'chat.visitor')
        patch({
          online: Boolean(data.online),
          pageUrl: (data.pageUrl as string | null) ?? null,
          pageTitle: (data.pageTitle as string | null) ?? null,
          lastSeenAt: new Date().toISOString(),
        });
      else if (frame.type === 'chat.typing') setTypingAt(data.typing ? Date.now() : 0);
      else if (frame.type === 'chat.read' && data.by === 'visitor')
        patch({ visitorReadSeq: Number(data.seq) });
      else if (frame.type === 'chat.message') {
        const message = data.message as { sender?: string } | null;
        if (message?.sender === 'visitor') setTypingAt(0);
        patch({ lastSeq: Number(data.seq) });
        // Published the moment it commits, ahead of the outbox's message.created: show it now.
        void client.invalidateQueries({ queryKey: ['ticket', ticketId] });
        markRead();
      }
    });
    document.addEventListener('visibilitychange', markRead);
    return () => {
      stop();
      document.removeEventListener('visibilitychange', markRead);
    };
  }, [ticketId, client]);

  useEffect(() => {
    if (!typingAt) return;
    const fade = setTimeout(() => tick((n) => n + 1), TYPING_FADE_MS);
    return () => clearTimeout(fade);
  }, [typingAt]);

  const chat = state.data;
  if (!chat) return null;
  const typing = typingAt > 0 && Date.now() - typingAt < TYPING_FADE_MS;
  return (
    <section className="panel chat-panel" aria-labelledby="chat-title">
      <h2 id="chat-title">{t('chat.title')}</h2>
      <p role="status" className={chat.online ? 'chat-online' : 'chat-offline'}>
        <span aria-hidden="true">{chat.online ? '● ' : '○ '}</span>
        {chat.online ? t('chat.online') : t('chat.offline')}
        {!chat.online && chat.lastSeenAt && (
          <small className="muted"> · {t('chat.lastSeen', { when: timeStamp(chat.lastSeenAt) })}</small>
        )}
      </p>
      {!chat.online && <p className="muted">{t('chat.offlineHint')}</p>}
      {chat.pageUrl && /^https?:\/\//i.test(chat.pageUrl) && (
        <p>
          {t('chat.page')}:{' '}
          <a href={chat.pageUrl} target="_blank" rel="noopener noreferrer" className="chat-page">
            {chat.pageTitle || chat.pageUrl}
          </a>
        </p>
      )}
      {typing && (
        <p className="chat-typing" aria-live="polite">
          {t('chat.typing')}
        </p>
      )}
      {chat.lastSeq > 0 && (
        <p className="muted">{t('chat.seen', { seq: chat.visitorReadSeq, total: chat.lastSeq })}</p>
      )}
    </section>
  );
}
