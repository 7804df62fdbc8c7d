import { useSyncExternalStore } from 'react';

export type StreamFrame = { type: string; eventId?: number; data?: Record<string, unknown> } & Record<
  string,
  unknown
>;
type Listener = (frame: StreamFrame) => void;
export type PresenceState = 'viewing' | 'typing';

const listeners = new Set<Listener>();
const statusListeners = new Set<() => void>();
let socket: WebSocket | undefined;
let connected = false;
let wanted = false;
let retry = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
// ticketId → userId → what they are doing and when we last heard it.
const presence = new Map<string, Map<string, { state: PresenceState; at: number }>>();
const presenceListeners = new Set<() => void>();
let presenceVersion = 0;

function setConnected(value: boolean) {
  connected = value;
  for (const listener of statusListeners) listener();
}

function notePresence(frame: StreamFrame) {
  const data = frame.data as { ticketId?: string; userId?: string; state?: string } | undefined;
  if (!data?.ticketId || !data.userId) return;
  const users = presence.get(data.ticketId) ?? new Map();
  if (data.state === 'left') users.delete(data.userId);
  else users.set(data.userId, { state: data.state === 'typing' ? 'typing' : 'viewing', at: Date.now() });
  presence.set(data.ticketId, users);
  presenceVersion++;
  for (const listener of presenceListeners) listener();
}

function connect() {
  if (!wanted || socket) return;
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/stream`;
  const ws = new WebSocket(url);
  socket = ws;
  ws.onopen = () => {
    retry = 0;
    setConnected(true);
  };
  ws.onmessage = (message) => {
    let frame: StreamFrame;
    try {
      frame = JSON.parse(String(message.data)) as StreamFrame;
    } catch {
      return;
    }
    if (frame.type === 'presence') notePresence(frame);
    for (const listener of listeners) listener(frame);
  };
  ws.onclose = () => {
    socket = undefined;
    setConnected(false);
    if (!wanted) return;
    // Back off up to 15 s so a restarting server is not stampeded.
    retry = Math.min(retry + 1, 6);
    timer = setTimeout(connect, Math.min(15_000, 250 * 2 ** retry));
  };
}

export function startStream() {
  wanted = true;
  connect();
}

export function stopStream() {
  wanted = false;
  clearTimeout(timer);
  socket?.close();
  socket = undefined;
}

export function onStream(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function sendPresence(ticketId: string, state: PresenceState | 'left') {
  if (socket?.readyState === WebSocket.OPEN)
    socket.send(JSON.stringify({ type: 'presence', ticketId, state }));
}

export function useStreamConnected(): boolean {
  return useSyncExternalStore(
    (listener) => {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    () => connected,
  );
}

const STALE_MS = 45_000;

/** Who else is on this ticket right now (viewing or typing), by user id. */
export function usePresence(ticketId: string, selfId: string): { userId: string; state: PresenceState }[] {
  const version = useSyncExternalStore(
    (listener) => {
      presenceListeners.add(listener);
      return () => presenceListeners.delete(listener);
    },
    () => presenceVersion,
  );
  void version;
  const now = Date.now();
  return [...(presence.get(ticketId) ?? new Map()).entries()]
    .filter(([userId, entry]) => userId !== selfId && now - entry.at < STALE_MS)
    .map(([userId, entry]) => ({ userId, state: entry.state }));
}
