import { useEffect, useId, useRef, useState } from 'react';
import { t } from '../i18n/i18n.ts';
import { splitQuote } from './email-meta.ts';
import frameStylesheet from './message-frame.css?url';

// Named in message-frame.css too.
const FOLDED = 'quotes-folded';

const documentFor = (html: string) =>
  `<!doctype html><html class="${FOLDED}"><head><meta charset="utf-8"><base target="_blank"><link rel="stylesheet" href="${frameStylesheet}"></head><body>${html}</body></html>`;

/** True when the document has quoted history (a blockquote) besides some text of its own to show. */
function hasFoldableQuote(doc: Document): boolean {
  if (!doc.body.querySelector('blockquote')) return false;
  const rest = doc.body.cloneNode(true) as HTMLElement;
  for (const quote of rest.querySelectorAll('blockquote')) quote.remove();
  return Boolean(rest.textContent?.trim() || rest.querySelector('img'));
}

/**
 * Message HTML (already sanitised by the server) inside a sandboxed frame: no allow-scripts, so
 * nothing in it can run even if sanitising missed something. allow-same-origin without scripts only
 * lets this page read the frame's height and fold its quotes; links open in a new tab outside the sandbox.
 */
function HtmlBody({
  html,
  title,
  folded,
  onQuote,
}: {
  html: string;
  title: string;
  folded: boolean;
  onQuote: (found: boolean) => void;
}) {
  const frame = useRef<HTMLIFrameElement>(null);
  const foldedNow = useRef(folded);
  foldedNow.current = folded;
  const reportQuote = useRef(onQuote);
  reportQuote.current = onQuote;
  useEffect(() => {
    const element = frame.current;
    if (!element) return;
    let observer: ResizeObserver | undefined;
    const fitHeight = () => {
      const body = element.contentDocument?.body;
      if (!body) return;
      element.style.height = `${Math.ceil(body.getBoundingClientRect().height) + 2}px`;
    };
    const onLoad = () => {
      const doc = element.contentDocument;
      if (doc) {
        const quote = hasFoldableQuote(doc);
        // Nothing to unfold: show the quotes, since no toggle will be offered.
        doc.documentElement.classList.toggle(FOLDED, quote && foldedNow.current);
        reportQuote.current(quote);
      }
      fitHeight();
      const body = doc?.body;
      observer?.disconnect();
      if (body) {
        observer = new ResizeObserver(fitHeight);
        observer.observe(body);
      }
    };
    element.addEventListener('load', onLoad);
    if (element.contentDocument?.readyState === 'complete') onLoad();
    return () => {
      element.removeEventListener('load', onLoad);
      observer?.disconnect();
    };
  }, []);
  useEffect(() => {
    const doc = frame.current?.contentDocument;
    if (doc?.readyState === 'complete' && hasFoldableQuote(doc))
      doc.documentElement.classList.toggle(FOLDED, folded);
  }, [folded]);
  return (
    <iframe
      ref={frame}
      className="message-frame"
      title={title}
      sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
      srcDoc={documentFor(html)}
    />
  );
}

function QuoteToggle({
  open,
  controls,
  onToggle,
}: {
  open: boolean;
  controls: string;
  onToggle: () => void;
}) {
  return (
    <button
      type="button"
      className="quote-toggle"
      aria-expanded={open}
      aria-controls={controls}
      onClick={onToggle}
    >
      {open ? t('email.hideQuoted') : t('email.showQuoted')}
    </button>
  );
}

/**
 * A message's content: its HTML in a sandboxed frame, else its text. Quoted history (blockquotes in
 * HTML, the text after `quoteStart` in plain text) starts folded behind a toggle; nothing is dropped.
 */
export function MessageBody({
  html,
  body,
  title,
  quoteStart = null,
}: {
  html: string | null;
  body: string;
  title: string;
  quoteStart?: number | null;
}) {
  const [open, setOpen] = useState(false);
  const [htmlQuote, setHtmlQuote] = useState(false);
  const id = useId();
  if (html?.trim())
    return (
      <div id={id}>
        <HtmlBody html={html} title={title} folded={!open} onQuote={setHtmlQuote} />
        {htmlQuote && <QuoteToggle open={open} controls={id} onToggle={() => setOpen(!open)} />}
      </div>
    );
  const { fresh, quoted } = splitQuote(body, quoteStart);
  if (!quoted) return <div className="message-text">{body}</div>;
  return (
    <div>
      <div className="message-text">{fresh}</div>
      <QuoteToggle open={open} controls={id} onToggle={() => setOpen(!open)} />
      <div id={id} className="message-text message-quote" hidden={!open}>
        {quoted}
      </div>
    </div>
  );
}
