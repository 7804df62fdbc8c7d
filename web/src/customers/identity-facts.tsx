import type { ReactNode } from 'react';
import type { Customer } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';

/** A term, its value, and a key when the term repeats (two emails). */
type Fact = [term: string, value: ReactNode, key?: string];

/** Terms and values as a definition list; `children` are further rows. */
export function FactList({
  rows,
  label,
  className = 'facts',
  children,
}: {
  rows: Fact[];
  label?: string;
  className?: string;
  children?: ReactNode;
}) {
  return (
    <dl className={className} aria-label={label}>
      {rows.map(([term, value, key]) => (
        <div key={key ?? term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
      {children}
    </dl>
  );
}

/** Who the customer is: identities, company, language, time zone, tags, then `children` rows. */
export function IdentityFacts({
  customer,
  company,
  children,
}: {
  customer: Customer;
  company?: ReactNode;
  children?: ReactNode;
}) {
  const rows: Fact[] = customer.identities.map((identity) => [
    t(`ticket.identity.${identity.kind}`),
    identity.kind === 'email' ? (
      <a key={identity.value} href={`mailto:${identity.value}`}>
        {identity.value}
      </a>
    ) : (
      identity.value
    ),
    `${identity.kind}:${identity.value}`,
  ]);
  if (company) rows.push([t('ticket.company'), company]);
  if (customer.language) rows.push([t('ticket.language'), customer.language]);
  if (customer.timeZone) rows.push([t('ticket.timeZone'), customer.timeZone]);
  if (customer.tags.length) rows.push([t('ticket.tags'), customer.tags.join(', ')]);
  return <FactList rows={rows}>{children}</FactList>;
}
