import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { Message } from '../api/types.ts';
import { ticketKey } from './ticket-api.ts';

const none = new Set<string>();

/**
 * What this agent has seen of the conversation. `lastSeenId` goes with each send so the server can
 * refuse it when someone wrote since; `unseen` marks messages by others that arrived after the page
 * opened, until the agent's next send.
 */
export function useSeenMessages(ticketId: string, messages: Message[] | undefined, selfId: string) {
  const client = useQueryClient();
  const [baseline, setBaseline] = useState<string | undefined | null>(null);
  const [lastSeenId, setLastSeenId] = useState<string | undefined>(undefined);
  if (baseline === null && messages) {
    setBaseline(messages.at(-1)?.id);
    setLastSeenId(messages.at(-1)?.id);
  }
  const unseen = useMemo(() => {
    if (!messages || baseline === null) return none;
    const start = baseline === undefined ? 0 : messages.findIndex((m) => m.id === baseline) + 1;
    if (start === 0 && baseline !== undefined) return none;
    const mine = (m: Message) => m.author.type === 'user' && m.author.id === selfId;
    return new Set(
      messages
        .slice(start)
        .filter((m) => !mine(m))
        .map((m) => m.id),
    );
  }, [messages, baseline, selfId]);

  return {
    lastSeenId,
    unseen,
    /** After a refused send: the agent now has the newest messages in front of them. */
    acknowledge() {
      const cached = client.getQueryData<{ data: Message[] }>([...ticketKey(ticketId), 'messages']);
      setLastSeenId(cached?.data.at(-1)?.id);
    },
    sent(message: Message) {
      setBaseline(message.id);
      setLastSeenId(message.id);
    },
  };
}
