import { type Html, html, raw } from '../helpcenter/helpcenter-html.ts';
import type { HelpUrls } from '../helpcenter/helpcenter-pages.ts';
import type { PortalTicket, portalConversation } from './portal-service.ts';

export const portalStyles = `
table.tickets{width:100%;border-collapse:collapse}
table.tickets td,table.tickets th{text-align:left;padding:.5rem;border-bottom:1px solid var(--line)}
.status{display:inline-block;padding:.1rem .5rem;border-radius:1rem;background:var(--bg);border:1px solid var(--line);font-size:.85rem}
.msg{border:1px solid var(--line);border-radius:.5rem;padding:.6rem .9rem;margin:.8rem 0;white-space:pre-wrap;overflow-wrap:anywhere}
.msg.mine{background:var(--bg)}
.msg .who{font-weight:600;white-space:normal}
form.portal{display:grid;gap:.4rem;max-width:40rem;margin-top:1rem}
form.portal textarea,form.portal input[type=email]{width:100%;padding:.55rem .7rem;font:inherit;border:1px solid var(--line);border-radius:.4rem}
form.portal textarea{min-height:7rem}
form.portal button{justify-self:start}
.bar{display:flex;justify-content:space-between;align-items:center;gap:1rem;margin-top:1rem}
.alert{border:1px solid #fca5a5;background:#fef2f2;border-radius:.4rem;padding:.6rem .8rem}
.stars{display:flex;gap:.4rem;flex-wrap:wrap;border:0;padding:0}
`;

const labels: Record<string, string> = {
  new: 'Open',
  open: 'Open',
  pending: 'Waiting for you',
  on_hold: 'Open',
  solved: 'Solved',
  closed: 'Closed',
};
const statusOf = (status: string) => html`<span class="status">${labels[status] ?? status}</span>`;
const day = (date: Date) => date.toISOString().slice(0, 16).replace('T', ' ');

export const portalBase = (urls: HelpUrls) => `${urls.base}/portal`;

export const signInContent = (urls: HelpUrls, error?: string) =>
  html`<h1>Your requests</h1>
<p>Enter the email address you wrote to us from. We send you a link that signs you in, no password needed.</p>
${error ? html`<p class="alert" role="alert">${error}</p>` : raw('')}
<form class="portal" method="post" action="${portalBase(urls)}/sign-in">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="email" required maxlength="320">
<button type="submit">Email me a sign-in link</button></form>`;

export const checkEmailContent = () =>
  html`<h1>Check your email</h1><p role="status">If that address is one we know, a sign-in link is on its way. It works once, for 30 minutes.</p>`;

/** The link's landing page: signing in takes a press, so mail scanners that open links spend nothing. */
export const enterContent = (urls: HelpUrls, token: string) =>
  html`<h1>Sign in</h1><form class="portal" method="post" action="${portalBase(urls)}/enter">
<input type="hidden" name="t" value="${token}"><button type="submit">Continue to your requests</button></form>`;

export const linkProblemContent = (urls: HelpUrls, status: 'invalid' | 'expired' | 'used') =>
  html`<h1>This link does not work any more</h1>
<p>${status === 'used' ? 'It was used already.' : status === 'expired' ? 'It has expired.' : 'It is not a valid sign-in link.'} Ask for a new one below.</p>
${signInContent(urls)}`;

const signOut = (urls: HelpUrls) =>
  html`<form method="post" action="${portalBase(urls)}/sign-out"><button type="submit" class="secondary">Sign out</button></form>`;

export function ticketsContent(urls: HelpUrls, tickets: PortalTicket[]): Html {
  const rows = tickets.map(
    (t) =>
      html`<tr><td><a href="${portalBase(urls)}/tickets/${t.number}">#${t.number} ${t.subject}</a></td><td>${statusOf(t.status)}</td><td class="muted">${day(t.lastActivityAt)}</td></tr>`,
  );
  return html`<div class="bar"><h1>Your requests</h1>${signOut(urls)}</div>
${tickets.length ? html`<table class="tickets"><thead><tr><th>Request</th><th>Status</th><th>Last activity (UTC)</th></tr></thead><tbody>${rows}</tbody></table>` : html`<p>You have no requests with us yet.</p>`}
<p><a href="${urls.base}/contact">Send a new request</a></p>`;
}

type Conversation = Awaited<ReturnType<typeof portalConversation>>;

function ratingPart(urls: HelpUrls, ticket: PortalTicket, rating: Conversation['rating']): Html {
  if (rating)
    return html`<section class="vote"><p><strong>You rated this ${rating.score} of 5.</strong> Thank you!</p></section>`;
  if (ticket.status !== 'solved' && ticket.status !== 'closed') return raw('');
  const stars = [1, 2, 3, 4, 5].map(
    (n) =>
      html`<button type="submit" name="score" value="${n}" class="secondary" aria-label="${n} of 5">${'★'.repeat(n)}</button>`,
  );
  return html`<section class="vote"><form class="portal" method="post" action="${portalBase(urls)}/tickets/${ticket.number}/rating">
<fieldset><legend><strong>How would you rate the support you received?</strong></legend>
<label for="comment" class="muted">Anything you would like to add? (optional)</label>
<textarea id="comment" name="comment" maxlength="2000"></textarea>
<div class="stars">${stars}</div></fieldset></form></section>`;
}

export function ticketContent(
  urls: HelpUrls,
  ticket: PortalTicket,
  conversation: Conversation,
  error?: string,
): Html {
  const base = portalBase(urls);
  const messages = conversation.messages.map(
    (m) =>
      html`<article class="msg${m.fromCustomer ? ' mine' : ''}"><div class="who">${m.fromCustomer ? 'You' : (m.agentName ?? 'Support')} <span class="muted">${day(m.createdAt)}</span></div>${m.bodyText}${
        m.files.length
          ? html`<ul>${m.files.map((f) => (f.id ? html`<li><a href="${base}/files/${f.id}">${f.name}</a></li>` : html`<li>${f.name}</li>`))}</ul>`
          : raw('')
      }</article>`,
  );
  const reply =
    ticket.status === 'closed'
      ? html`<p class="muted">This request is closed. <a href="${urls.base}/contact">Send a new one</a> if you need more help.</p>`
      : html`<form class="portal" method="post" action="${base}/tickets/${ticket.number}/reply" enctype="multipart/form-data">
<label for="body">Your reply</label><textarea id="body" name="body" maxlength="20000"></textarea>
<label for="files">Files (optional)</label><input id="files" name="files" type="file" multiple>
<button type="submit">Send reply</button></form>`;
  return html`<nav class="crumbs"><a href="${base}">Your requests</a> › #${ticket.number}</nav>
<div class="bar"><h1>${ticket.subject}</h1>${statusOf(ticket.status)}</div>
${error ? html`<p class="alert" role="alert">${error}</p>` : raw('')}
${messages}
${ratingPart(urls, ticket, conversation.rating)}
${reply}`;
}
