import { type ChatMessage, connect } from './connection.ts';
import { styles } from './styles.ts';
import { createView, type WidgetConfig } from './view.ts';

type Global = { RapportChatSettings?: { user?: Record<string, string> }; RapportChat?: unknown };

/**
 * Boots from its own script tag: `<script src="https://HOST/widget.js" data-workspace="slug" async>`.
 * Everything lives in a shadow root, so the page's CSS cannot reach in and ours cannot leak out.
 */
// Only set while the script first runs, so it is read before anything waits.
const ownScript = document.currentScript as HTMLScriptElement | null;

async function boot() {
  const script =
    ownScript ?? document.querySelector<HTMLScriptElement>('script[data-workspace][src*="widget.js"]');
  const workspace = script?.dataset.workspace;
  if (!script || !workspace) return console.warn('Rapport chat: add data-workspace to the script tag');
  const base = new URL(script.src, location.href).origin;
  const data = script.dataset;
  const globalSettings = (window as unknown as Global).RapportChatSettings;
  const user =
    globalSettings?.user ??
    (data.userId && data.userHash
      ? {
          id: data.userId,
          hash: data.userHash,
          ...(data.userName && { name: data.userName }),
          ...(data.userEmail && { email: data.userEmail }),
        }
      : null);

  const response = await fetch(`${base}/api/v1/chat/widget?workspace=${encodeURIComponent(workspace)}`);
  if (!response.ok) return console.warn(`Rapport chat: the widget settings answered ${response.status}`);
  const config = (await response.json()) as WidgetConfig;

  const host = document.createElement('div');
  host.id = 'rapport-chat';
  document.body.appendChild(host);
  const root = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = styles(config.brandColor);
  root.appendChild(style);

  let connection: ReturnType<typeof connect> | undefined;
  const newClientId = () => crypto.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const view = createView(root, config, {
    send: (text, prechat) => {
      const clientId = newClientId();
      view.addPending(clientId, text);
      connection?.sendMessage(text, clientId, prechat);
    },
    sendFiles: (files, prechat) => {
      const clientId = newClientId();
      view.addPending(
        clientId,
        '',
        files.map((file) => file.name),
      );
      // Uploaded first, then sent like a message: the refs ride its retries and its client id.
      connection
        ?.upload(files)
        .then((uploaded) =>
          connection?.sendMessage(
            '',
            clientId,
            prechat,
            uploaded.map((file) => file.ref),
          ),
        )
        .catch((error: unknown) =>
          view.failed(clientId, error instanceof Error ? error.message : 'Not sent'),
        );
    },
    startNew: () => connection?.startNew(),
    typing: (typing) => connection?.typing(typing),
    read: (seq) => connection?.read(seq),
    email: (email, name) => connection?.email(email, name),
    csat: (conversationId, score, comment) => connection?.csat(conversationId, score, comment),
    callback: (ask) => {
      const clientId = newClientId();
      const text = `Call back on ${ask.phone} at ${ask.preferredTime.replace('T', ' ')}`;
      view.addPending(clientId, text);
      connection?.callback(ask, clientId, text);
    },
  });
  connection = connect({
    base,
    workspace,
    user,
    events: {
      ready: (info) => {
        // Back on a page after the agent ended the chat: say so, and start afresh with the next message.
        const shown = info.conversations.find((c) => c.id === connection?.conversationId);
        if (shown && (shown.status === 'solved' || shown.status === 'closed')) endConversation(shown.id);
        view.ready(info.online, info.conversations);
      },
      message: (message: ChatMessage) => {
        if (connection?.conversationId && message.conversationId !== connection.conversationId) return;
        view.message(message);
      },
      acked: () => {},
      failed: (clientId, reason) => view.failed(clientId, reason),
      typing: (typing) => view.agentTyping(typing),
      read: (seq) => view.agentRead(seq),
      status: (connected) => view.connected(connected),
      emailSaved: () => view.emailSaved(),
      csatSaved: (status) => view.csatSaved(status),
      callbackSaved: (saved) => view.callbackSaved(saved),
      ended: (conversationId, ended) => ended && endConversation(conversationId),
    },
  });
  function endConversation(conversationId: string) {
    if (connection?.conversationId !== conversationId) return;
    connection.startNew();
    view.ended();
    view.csat(conversationId);
  }
  for (const pending of connection.pending()) view.addPending(pending.clientId, pending.text);

  // Single-page sites change the URL without a load: tell the agent where the visitor is now.
  let lastUrl = location.href;
  setInterval(() => {
    if (location.href === lastUrl) return;
    lastUrl = location.href;
    connection?.page();
  }, 2000);

  (window as unknown as Global).RapportChat = {
    open: () => view.open(true),
    close: () => view.open(false),
    reconnect: () => connection?.drop(),
  };
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => void boot());
else void boot();
