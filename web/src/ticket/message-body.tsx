import { useEffect, useRef } from 'react';

const frameStyle = `
  html, body { margin: 0; padding: 0; }
  body { display: flow-root; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1c2230;
    overflow-wrap: anywhere; }
  img { max-width: 100%; height: auto; }
  table { max-width: 100%; }
  pre { white-space: pre-wrap; }
  blockquote { margin: 0.5em 0; padding-left: 0.75em; border-left: 3px solid #dde1e8; color: #5b6475; }
  a { color: #2346c8; }
`;

const documentFor = (html: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><base target="_blank"><style>${frameStyle}</style></head><body>${html}</body></html>`;

/**
 * Message HTML (already sanitised by the server) inside a sandboxed frame: no allow-scripts, so
 * nothing in it can run even if sanitising missed something. allow-same-origin without scripts only
 * lets this page read the frame's height; links open in a new tab outside the sandbox.
 */
function HtmlBody({ html, title }: { html: string; title: string }) {
  const frame = useRef<HTMLIFrameElement>(null);
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
      fitHeight();
      const body = element.contentDocument?.body;
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

export function MessageBody({ html, body, title }: { html: string | null; body: string; title: string }) {
  if (html?.trim()) return <HtmlBody html={html} title={title} />;
  return <div className="message-text">{body}</div>;
}
