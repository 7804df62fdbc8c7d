/** One message as the server sends it. */
export type ChatMessage = {
  conversationId: string;
  seq: number;
  id: string;
  sender: 'visitor' | 'agent';
  text: string;
  attachments: { name: string; contentType: string; size: number; url: string | null }[];
  author: string | null;
  clientId: string | null;
  createdAt: string;
  /** The answer bot's messages; an `offer` asks "Did this answer your question?". */
  bot?: { kind: string; attemptId: string };
};

export type Conversation = { id: string; status: string; lastSeq: number; agentReadSeq: number };

type Pending = {
  clientId: string;
  text: string;
  /** Refs of files already uploaded (POST /api/v1/chat/files). */
  files?: string[];
  conversationId: string | null;
  prechat?: Record<string, string>;
  /** A call back request rather than a message; `text` is what the widget shows until it is stored. */
  callback?: CallbackAsk;
};

/** A call back: the number, and a date and time read on the browser's clock in its zone. */
export type CallbackAsk = { phone: string; preferredTime: string; timeZone: string };

type Stored = { token?: string; conversationId?: string | null; pending?: Pending[] };

export type ConnectionEvents = {
  ready(info: { online: boolean; conversations: Conversation[] }): void;
  message(message: ChatMessage): void;
  acked(clientId: string, conversationId: string): void;
  failed(clientId: string, reason: string): void;
  typing(typing: boolean): void;
  read(seq: number): void;
  status(connected: boolean): void;
  emailSaved(): void;
  callbackSaved(saved: { phone: string; preferredAt: string }): void;
  /** The server's word on a CSAT answer: recorded, commented, already_answered or not_ended. */
  csatSaved(status: string): void;
  /** An agent solved or closed the conversation (or opened it again). */
  ended(conversationId: string, ended: boolean): void;
};

export type Uploaded = { ref: string; name: string; contentType: string; size: number };

type Frame = Record<string, unknown> & { type: string };

// Codes after which reconnecting cannot help (README, "Live chat").
const FINAL = new Set([4400, 4403, 4404]);

/**
 * The widget's socket: identifies with the stored visitor token, resumes every conversation from the
 * last sequence number it holds, and keeps unacknowledged messages (in localStorage, so a reload keeps
 * them too) to resend after a reconnect; their client ids make the resend harmless.
 */
export function connect(options: {
  base: string;
  workspace: string;
  user: Record<string, string> | null;
  events: ConnectionEvents;
}) {
  const key = `rapport-chat:${options.workspace}`;
  const load = (): Stored => {
    try {
      return JSON.parse(localStorage.getItem(key) ?? '{}') as Stored;
    } catch {
      return {};
    }
  };
  const stored = load();
  const save = () => {
    try {
      localStorage.setItem(key, JSON.stringify(stored));
    } catch {
      // Private mode or a full quota: the chat still works for this page.
    }
  };
  stored.pending ??= [];
  const lastSeq = new Map<string, number>();
  let socket: WebSocket | undefined;
  let ready = false;
  let attempt = 0;
  let stopped = false;

  const send = (frame: Frame) => {
    if (socket?.readyState === WebSocket.OPEN && ready) socket.send(JSON.stringify(frame));
  };
  const page = () => ({ url: location.href, title: document.title });
  // Resends carry the client id they were first sent with: the server stores each once.
  const frameOf = ({ callback, text, ...pending }: Pending): Frame => {
    const conversationId = pending.conversationId ?? stored.conversationId ?? null;
    return callback
      ? { type: 'callback', clientId: pending.clientId, conversationId, ...callback }
      : { type: 'message', ...pending, text, conversationId };
  };
  const flush = () => {
    for (const pending of stored.pending ?? []) send(frameOf(pending));
  };
  const queue = (pending: Pending) => {
    stored.pending = [...(stored.pending ?? []), pending];
    save();
    send(frameOf(pending));
  };

  function onFrame(frame: Frame) {
    const { events } = options;
    switch (frame.type) {
      case 'hello': {
        const resume = [...lastSeq.entries()].map(([conversationId, seq]) => ({
          conversationId,
          lastSeq: seq,
        }));
        if (stored.conversationId && !lastSeq.has(stored.conversationId))
          resume.push({ conversationId: stored.conversationId, lastSeq: 0 });
        socket?.send(
          JSON.stringify({
            type: 'identify',
            token: stored.token ?? null,
            user: options.user,
            page: page(),
            resume,
          }),
        );
        return;
      }
      case 'ready': {
        ready = true;
        attempt = 0;
        stored.token = frame.token as string;
        const conversations = frame.conversations as Conversation[];
        // Solved or closed ones are history: the widget starts a new conversation after them.
        const open = conversations.find((c) => c.status !== 'closed' && c.status !== 'solved');
        // History across page loads: the newest open conversation is the one shown.
        if (!stored.conversationId && open) {
          stored.conversationId = open.id;
          send({ type: 'resume', conversationId: open.id, lastSeq: 0 });
        }
        save();
        events.ready({ online: Boolean(frame.online), conversations });
        events.status(true);
        flush();
        return;
      }
      case 'message': {
        const message = frame.message as ChatMessage;
        if ((lastSeq.get(message.conversationId) ?? 0) < message.seq)
          lastSeq.set(message.conversationId, message.seq);
        events.message(message);
        return;
      }
      case 'ack': {
        const clientId = frame.clientId as string;
        stored.pending = (stored.pending ?? []).filter((p) => p.clientId !== clientId);
        stored.conversationId = frame.conversationId as string;
        save();
        events.acked(clientId, stored.conversationId);
        return;
      }
      case 'error': {
        const clientId = frame.clientId as string | undefined;
        if (!clientId) return;
        if (frame.code === 'rate_limited' || frame.code === 'internal') {
          setTimeout(flush, Number(frame.retryAfterMs ?? 2000));
          return;
        }
        stored.pending = (stored.pending ?? []).filter((p) => p.clientId !== clientId);
        save();
        events.failed(clientId, String(frame.message ?? 'Not sent'));
        return;
      }
      case 'typing':
        if (frame.by === 'agent') events.typing(Boolean(frame.typing));
        return;
      case 'read':
        if (frame.by === 'agent') events.read(Number(frame.seq));
        return;
      case 'email_saved':
        events.emailSaved();
        return;
      case 'callback_saved':
        events.callbackSaved({ phone: String(frame.phone), preferredAt: String(frame.preferredAt) });
        return;
      case 'csat_saved':
        events.csatSaved(String(frame.status));
        return;
      case 'status':
        events.ended(frame.conversationId as string, Boolean(frame.ended));
        return;
    }
  }

  function open() {
    const url = `${options.base.replace(/^http/, 'ws')}/api/v1/chat/ws?workspace=${encodeURIComponent(options.workspace)}`;
    const current = new WebSocket(url);
    socket = current;
    ready = false;
    current.onmessage = (event) => {
      try {
        onFrame(JSON.parse(String(event.data)) as Frame);
      } catch {
        // A frame we do not understand is skipped.
      }
    };
    current.onclose = (event) => {
      if (socket !== current) return;
      ready = false;
      options.events.status(false);
      if (stopped || FINAL.has(event.code)) return;
      // Backoff with jitter, longer when the server said we were too much.
      const base = event.code === 4429 || event.code === 4430 ? 10_000 : 500;
      const delay = Math.min(30_000, base * 2 ** attempt) * (0.5 + Math.random() / 2);
      attempt += 1;
      setTimeout(open, delay);
    };
  }

  open();
  return {
    get conversationId() {
      return stored.conversationId ?? null;
    },
    sendMessage(text: string, clientId: string, prechat?: Record<string, string>, files?: string[]) {
      queue({
        clientId,
        text,
        conversationId: stored.conversationId ?? null,
        ...(prechat && { prechat }),
        ...(files?.length && { files }),
      });
    },
    callback(ask: CallbackAsk, clientId: string, text: string) {
      queue({ clientId, text, conversationId: stored.conversationId ?? null, callback: ask });
    },
    pending: () => [...(stored.pending ?? [])],
    /** Uploads files with the visitor token (a plain form post: no CORS preflight); resolves to refs. */
    async upload(files: File[]): Promise<Uploaded[]> {
      if (!stored.token) throw new Error('Not connected yet');
      const form = new FormData();
      form.append('token', stored.token);
      for (const file of files) form.append('file', file, file.name);
      const response = await fetch(
        `${options.base}/api/v1/chat/files?workspace=${encodeURIComponent(options.workspace)}`,
        { method: 'POST', body: form },
      );
      const body = (await response.json().catch(() => ({}))) as { data?: Uploaded[]; detail?: string };
      if (!response.ok || !body.data) throw new Error(body.detail ?? `Upload failed (${response.status})`);
      return body.data;
    },
    typing: (typing: boolean) =>
      stored.conversationId && send({ type: 'typing', conversationId: stored.conversationId, typing }),
    read: (seq: number) =>
      stored.conversationId && send({ type: 'read', conversationId: stored.conversationId, seq }),
    page: () => send({ type: 'page', ...page() }),
    email: (email: string, name?: string) => send({ type: 'email', email, name: name ?? null }),
    csat: (conversationId: string, score: number, comment?: string) =>
      send({ type: 'csat', conversationId, score, comment: comment ?? null }),
    startNew() {
      stored.conversationId = null;
      save();
    },
    /** Drops the socket as a network failure would; it reconnects and resumes. For tests and "retry now". */
    drop: () => socket?.close(),
    stop() {
      stopped = true;
      socket?.close();
    },
  };
}

export type Connection = ReturnType<typeof connect>;
