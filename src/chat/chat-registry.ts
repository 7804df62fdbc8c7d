import type { RealtimeHub, RealtimeMessage } from '../platform/realtime/hub.ts';

/** What a visitor's socket does with what reaches its conversations. */
export type ChatListener = (message: RealtimeMessage) => void;

/**
 * The visitor sockets of this process by conversation. One hub subscription per workspace with
 * visitors connected, so an event costs a map lookup rather than a call per socket of the workspace.
 */
export function createChatRegistry(hub: RealtimeHub) {
  const workspaces = new Map<string, { unsubscribe: () => void; byTicket: Map<string, Set<ChatListener>> }>();

  function dispatch(byTicket: Map<string, Set<ChatListener>>, message: RealtimeMessage) {
    const ticketId = message.data.ticketId;
    if (typeof ticketId !== 'string') return;
    for (const listener of byTicket.get(ticketId) ?? []) listener(message);
  }

  return {
    /** Routes this conversation's events to the listener until the returned function is called. */
    watch(workspaceId: string, ticketId: string, listener: ChatListener): () => void {
      let entry = workspaces.get(workspaceId);
      if (!entry) {
        const byTicket = new Map<string, Set<ChatListener>>();
        const unsubscribe = hub.subscribe(workspaceId, (message) => dispatch(byTicket, message));
        entry = { unsubscribe, byTicket };
        workspaces.set(workspaceId, entry);
      }
      const listeners = entry.byTicket.get(ticketId) ?? new Set<ChatListener>();
      listeners.add(listener);
      entry.byTicket.set(ticketId, listeners);
      const current = entry;
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && current.byTicket.get(ticketId) === listeners)
          current.byTicket.delete(ticketId);
        if (current.byTicket.size === 0 && workspaces.get(workspaceId) === current) {
          current.unsubscribe();
          workspaces.delete(workspaceId);
        }
      };
    },
  };
}

export type ChatRegistry = ReturnType<typeof createChatRegistry>;
