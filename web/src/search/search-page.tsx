import { useQuery } from '@tanstack/react-query';
import { Link, useSearch } from 'wouter';
import { api, query } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';

type SearchResults = {
  tickets: { id: string; number: number; subject: string; status: string; highlight: string }[];
  messages: {
    id: string;
    ticketId: string;
    ticketNumber: number;
    ticketSubject: string;
    kind: string;
    highlight: string;
  }[];
  customers: { id: string; name: string; email: string | null; highlight: string }[];
};

const entities: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};
const decode = (text: string) =>
  text.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => entities[entity] ?? entity);

/** Renders the server's escaped highlight as text with <mark> around matches, never as HTML. */
function Highlight({ html }: { html: string }) {
  const parts = html.split(/(<mark>|<\/mark>)/);
  let marked = false;
  const nodes = [];
  for (const [index, part] of parts.entries()) {
    if (part === '<mark>') marked = true;
    else if (part === '</mark>') marked = false;
    else if (part) nodes.push(marked ? <mark key={index}>{decode(part)}</mark> : decode(part));
  }
  return <span className="highlight">{nodes}</span>;
}

export default function SearchPage() {
  const q = new URLSearchParams(useSearch()).get('q') ?? '';
  const results = useQuery({
    queryKey: ['search', q],
    enabled: q.trim().length > 0,
    queryFn: ({ signal }) => api<SearchResults>(`/search${query({ q, limit: 20 })}`, { signal }),
  });
  const data = results.data;
  const nothing = data && !data.tickets.length && !data.messages.length && !data.customers.length;
  return (
    <section className="page" aria-labelledby="search-title">
      <h1 id="search-title">
        {t('search.label')}: “{q}”
      </h1>
      {results.isPending && q && <p className="loading">{t('common.loading')}</p>}
      {results.error && <p role="alert">{t('common.error', { detail: results.error.message })}</p>}
      {nothing && <p>{t('search.nothing', { q })}</p>}
      {data && data.tickets.length > 0 && (
        <>
          <h2>{t('search.tickets')}</h2>
          <ul className="results">
            {data.tickets.map((ticket) => (
              <li key={ticket.id}>
                <Link href={`/tickets/${ticket.id}`}>
                  #{ticket.number} <Highlight html={ticket.highlight} />
                </Link>{' '}
                <span className={`pill status-${ticket.status}`}>
                  {t(`status.${ticket.status as 'open'}`)}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      {data && data.messages.length > 0 && (
        <>
          <h2>{t('search.messages')}</h2>
          <ul className="results">
            {data.messages.map((message) => (
              <li key={message.id}>
                <Link href={`/tickets/${message.ticketId}`}>
                  #{message.ticketNumber} {message.ticketSubject}
                </Link>
                <p className={message.kind === 'internal_note' ? 'excerpt note' : 'excerpt'}>
                  <Highlight html={message.highlight} />
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
      {data && data.customers.length > 0 && (
        <>
          <h2>{t('search.customers')}</h2>
          <ul className="results">
            {data.customers.map((customer) => (
              <li key={customer.id}>
                <Link href={`/inbox/open?customer=${customer.id}`}>
                  <Highlight html={customer.highlight} />
                </Link>{' '}
                <span className="muted">{customer.email}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
