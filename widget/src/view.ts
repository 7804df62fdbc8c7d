import { botAnswerButtons } from './bot-buttons.ts';
import { callbackForm } from './callback-form.ts';
import type { CallbackAsk, ChatMessage, Conversation } from './connection.ts';
import { csatPrompt } from './csat-prompt.ts';

export type WidgetConfig = {
  workspace: { id: string; name: string };
  brandColor: string;
  title: string;
  greeting: string;
  avatarUrls: string[];
  online: boolean;
  replyTime: string;
  offlineMessage: string;
  preChatForm: { enabled: boolean; fields: { key: string; label: string; required: boolean }[] };
  limits: { maxMessageChars: number };
};

type Actions = {
  send(text: string, prechat?: Record<string, string>): void;
  sendFiles(files: File[], prechat?: Record<string, string>): void;
  /** Leave the open conversation be and start another with the next message. */
  startNew(): void;
  typing(typing: boolean): void;
  read(seq: number): void;
  email(email: string, name?: string): void;
  csat(conversationId: string, score: number, comment?: string): void;
  callback(ask: CallbackAsk): void;
};

const CHAT_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';

// Props are DOM properties (className, textContent, ariaLabel…), assigned as they are.
function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, unknown> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node: HTMLElementTagNameMap[K] = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/** The widget's DOM: launcher with unread badge, panel with messages, typing, receipts and forms. */
export function createView(root: ShadowRoot, config: WidgetConfig, actions: Actions) {
  let survey: ReturnType<typeof csatPrompt> | undefined;
  const badge = el('span', { className: 'badge', hidden: true });
  const launcher = el('button', { className: 'launcher', ariaLabel: 'Open chat', innerHTML: CHAT_ICON });
  launcher.append(badge);
  const status = el('small', { textContent: config.online ? config.replyTime : config.offlineMessage });
  const avatars = el('div', { className: 'avatars' });
  for (const url of config.avatarUrls) avatars.append(el('img', { src: url, alt: '' }));
  const close = el('button', { className: 'close', ariaLabel: 'Close chat', textContent: '×' });
  const mute = el('button', { className: 'mute' });
  const header = el(
    'header',
    {},
    avatars,
    el('div', { className: 'titles' }, el('strong', { textContent: config.title }), status),
    mute,
    close,
  );
  const log = el('div', { className: 'log', role: 'log' });
  log.setAttribute('aria-live', 'polite');
  // What the shown conversation's messages follow: the greeting, or the end of the one before.
  let start: HTMLElement = el('div', { className: 'greeting', textContent: config.greeting });
  log.append(start);
  const typing = el('div', { className: 'typing', hidden: true, textContent: 'Agent is typing…' });
  const notice = el('div', { className: 'notice', hidden: true });

  const emailInput = el('input', {
    type: 'email',
    placeholder: 'you@example.com',
    required: true,
    ariaLabel: 'Your email',
  });
  const emailForm = el(
    'form',
    { className: 'inline', hidden: config.online },
    el('span', { textContent: config.offlineMessage }),
    emailInput,
    el('button', { type: 'submit', textContent: 'Notify me by email' }),
  );

  const prechatInputs = new Map<string, HTMLInputElement>();
  const prechatForm = el('form', { className: 'inline', hidden: true });
  const prechatName = el('input', { placeholder: 'Your name', ariaLabel: 'Your name' });
  const prechatEmail = el('input', { type: 'email', placeholder: 'Email', ariaLabel: 'Email' });
  prechatForm.append(prechatName, prechatEmail);
  for (const field of config.preChatForm.fields) {
    const input = el('input', { placeholder: field.label, ariaLabel: field.label, required: field.required });
    prechatInputs.set(field.key, input);
    prechatForm.append(input);
  }
  prechatForm.append(el('button', { type: 'submit', textContent: 'Start chat' }));

  const textarea = el('textarea', {
    placeholder: 'Write a message…',
    ariaLabel: 'Message',
    maxLength: config.limits.maxMessageChars,
  });
  const sendButton = el('button', { className: 'send', type: 'submit', textContent: 'Send' });
  const fileInput = el('input', { type: 'file', multiple: true, hidden: true });
  const attach = el('button', {
    className: 'attach',
    type: 'button',
    ariaLabel: 'Attach a file',
    textContent: '📎',
  });
  const composer = el('form', { className: 'composer' }, fileInput, attach, textarea, sendButton);
  const newButton = el('button', {
    className: 'new-chat',
    type: 'button',
    hidden: true,
    textContent: 'New conversation',
  });
  const callback = callbackForm(actions.callback);
  const panel = el(
    'div',
    { className: 'panel', hidden: true, role: 'dialog', ariaLabel: config.title },
    header,
    log,
    typing,
    notice,
    emailForm,
    prechatForm,
    newButton,
    callback.toggle,
    callback.form,
    composer,
  );
  root.append(panel, launcher);

  const bySeq = new Map<number, HTMLElement>();
  const pendingEls = new Map<string, HTMLElement>();
  let isOpen = false;
  let unread = 0;
  let lastSeq = 0;
  let lastVisitorSeq = 0;
  let seen = el('div', { className: 'seen', textContent: 'Seen' });
  let hasConversation = false;
  let agentReadMark = 0;
  let prechat: Record<string, string> | undefined;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  let sentTyping = false;
  let blink: ReturnType<typeof setInterval> | undefined;
  const originalTitle = document.title;
  // The visitor's choice outlives the page, like the conversation does.
  const muteKey = 'rapport-chat:muted';
  const readMuted = () => {
    try {
      return localStorage.getItem(muteKey) === '1';
    } catch {
      return false;
    }
  };
  let muted = readMuted();
  const showMute = () => {
    mute.textContent = muted ? '🔕' : '🔔';
    mute.ariaLabel = muted ? 'Turn sound on' : 'Mute sound';
    mute.ariaPressed = String(muted);
  };
  showMute();
  mute.addEventListener('click', () => {
    muted = !muted;
    try {
      localStorage.setItem(muteKey, muted ? '1' : '0');
    } catch {
      // Private mode: muted for this page only.
    }
    showMute();
  });

  const showPrechat = () => {
    prechatForm.hidden = !(config.preChatForm.enabled && !hasConversation && !prechat);
    composer.hidden = !prechatForm.hidden;
    newButton.hidden = !hasConversation;
  };
  const scroll = () => {
    log.scrollTop = log.scrollHeight;
  };
  const visible = () => isOpen && document.visibilityState === 'visible';
  const markRead = () => {
    unread = 0;
    badge.hidden = true;
    stopBlink();
    if (lastSeq) actions.read(lastSeq);
  };
  function stopBlink() {
    if (blink) clearInterval(blink);
    blink = undefined;
    document.title = originalTitle;
  }
  function notify() {
    unread += 1;
    badge.textContent = String(unread);
    badge.hidden = false;
    if (!blink) {
      let on = false;
      blink = setInterval(() => {
        on = !on;
        document.title = on ? `(${unread}) New message` : originalTitle;
      }, 1000);
    }
    if (muted) return;
    try {
      const audio = new AudioContext();
      const tone = audio.createOscillator();
      tone.frequency.value = 880;
      tone.connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.12);
    } catch {
      // No sound without a user gesture in some browsers: the badge and title still tell.
    }
  }
  document.addEventListener('visibilitychange', () => visible() && markRead());

  function bubble(text: string, sender: string, attachments: ChatMessage['attachments'] = []) {
    const node = el('div', { className: `msg ${sender}`, textContent: text });
    for (const file of attachments) {
      node.append(
        document.createElement('br'),
        file.url
          ? el('a', { href: file.url, target: '_blank', rel: 'noopener', textContent: `📎 ${file.name}` })
          : `📎 ${file.name}`,
      );
    }
    return node;
  }

  function insert(seq: number, node: HTMLElement) {
    const after = [...bySeq.keys()].filter((s) => s < seq).sort((a, b) => b - a)[0];
    const anchor = after === undefined ? start : bySeq.get(after)!;
    anchor?.after(node);
    bySeq.set(seq, node);
  }

  launcher.addEventListener('click', () => view.open(!isOpen));
  attach.addEventListener('click', () => fileInput.click());
  newButton.addEventListener('click', () => {
    actions.startNew();
    view.ended('New conversation');
    textarea.focus();
  });
  fileInput.addEventListener('change', () => {
    const files = [...(fileInput.files ?? [])];
    fileInput.value = '';
    if (files.length) actions.sendFiles(files, hasConversation ? undefined : prechat);
  });
  close.addEventListener('click', () => view.open(false));
  composer.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = textarea.value.trim();
    if (!text) return;
    textarea.value = '';
    actions.send(text, hasConversation ? undefined : prechat);
    if (sentTyping) actions.typing(false);
    sentTyping = false;
  });
  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      composer.requestSubmit();
    }
  });
  textarea.addEventListener('input', () => {
    if (!sentTyping) actions.typing(true);
    sentTyping = true;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => {
      sentTyping = false;
      actions.typing(false);
    }, 3000);
  });
  emailForm.addEventListener('submit', (event) => {
    event.preventDefault();
    actions.email(emailInput.value.trim());
  });
  prechatForm.addEventListener('submit', (event) => {
    event.preventDefault();
    prechat = {};
    if (prechatName.value.trim()) prechat.name = prechatName.value.trim();
    if (prechatEmail.value.trim()) {
      prechat.email = prechatEmail.value.trim();
      actions.email(prechat.email, prechat.name);
    }
    for (const [key, input] of prechatInputs) if (input.value.trim()) prechat[key] = input.value.trim();
    showPrechat();
    textarea.focus();
  });
  showPrechat();

  const view = {
    open(value: boolean) {
      isOpen = value;
      panel.hidden = !value;
      launcher.ariaLabel = value ? 'Close chat' : 'Open chat';
      launcher.classList.toggle('open', value);
      if (value) {
        markRead();
        scroll();
        textarea.focus();
      }
    },
    ready(online: boolean, conversations: Conversation[]) {
      status.textContent = online ? config.replyTime : config.offlineMessage;
      emailForm.hidden = online;
      const current = conversations.find((c) => c.status !== 'closed' && c.status !== 'solved');
      hasConversation = hasConversation || Boolean(current);
      if (current) view.agentRead(current.agentReadSeq);
      showPrechat();
    },
    addPending(clientId: string, text: string, files: string[] = []) {
      const node = bubble(
        text,
        'visitor pending',
        files.map((name) => ({ name, contentType: '', size: 0, url: null })),
      );
      pendingEls.set(clientId, node);
      log.append(node);
      scroll();
    },
    message(message: ChatMessage) {
      if (bySeq.has(message.seq)) return;
      hasConversation = true;
      showPrechat();
      const pending = message.clientId ? pendingEls.get(message.clientId) : undefined;
      pending?.remove();
      if (message.clientId) pendingEls.delete(message.clientId);
      const node = bubble(message.text, message.sender, message.attachments);
      node.dataset.seq = String(message.seq);
      insert(message.seq, node);
      if (message.sender === 'agent' && message.author)
        node.before(el('div', { className: 'who', textContent: message.author }));
      if (message.bot?.kind === 'offer' && message.seq > lastSeq)
        node.after(botAnswerButtons((text) => actions.send(text)));
      lastSeq = Math.max(lastSeq, message.seq);
      if (message.sender === 'visitor') lastVisitorSeq = Math.max(lastVisitorSeq, message.seq);
      view.agentRead(agentReadMark);
      if (message.sender === 'agent') {
        typing.hidden = true;
        if (visible()) markRead();
        else notify();
      }
      scroll();
    },
    failed(clientId: string, reason: string) {
      const node = pendingEls.get(clientId);
      if (node) node.className = 'msg visitor failed';
      notice.textContent = reason;
      notice.hidden = false;
    },
    agentTyping(value: boolean) {
      typing.hidden = !value;
      if (value) scroll();
    },
    agentRead(seq: number) {
      agentReadMark = Math.max(agentReadMark, seq);
      seen.remove();
      if (!lastVisitorSeq || agentReadMark < lastVisitorSeq) return;
      seen = el('div', { className: 'seen', textContent: 'Seen' });
      bySeq.get(lastVisitorSeq)?.after(seen);
    },
    connected(value: boolean) {
      notice.hidden = value;
      if (!value) notice.textContent = 'Reconnecting…';
    },
    /** The agent solved or closed the chat (or the visitor chose a new one): the next message starts one. */
    ended(text = 'This conversation has ended. Write to start a new one.') {
      hasConversation = false;
      newButton.hidden = true;
      // The next conversation counts from 1 again, below this line.
      bySeq.clear();
      lastSeq = 0;
      lastVisitorSeq = 0;
      agentReadMark = 0;
      seen.remove();
      start = el('div', { className: 'ended', textContent: text });
      log.append(start);
      scroll();
    },
    /** Asks the visitor to rate the conversation that just ended. */
    csat(conversationId: string) {
      survey = csatPrompt((score, comment) => actions.csat(conversationId, score, comment));
      log.append(survey.element);
      scroll();
    },
    csatSaved(status: string) {
      survey?.saved(status);
    },
    callbackSaved(saved: { phone: string; preferredAt: string }) {
      log.append(callback.confirmation(saved));
      scroll();
    },
    emailSaved() {
      emailForm.replaceChildren(
        el('span', { textContent: "Thanks! We'll answer by email if you have left." }),
      );
    },
  };
  return view;
}
