import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { type ApiError, api } from '../api/client.ts';
import type { Customer, Ticket } from '../api/types.ts';
import { CustomerInsights } from '../customers/customer-insights.tsx';
import { IdentityFacts } from '../customers/identity-facts.tsx';
import { t } from '../i18n/i18n.ts';
import { age } from '../shell/format.ts';
import { CallsSection } from './call-panel.tsx';
import { useCustomer, useCustomerTickets } from './ticket-api.ts';

function Notes({ customer, disabled }: { customer: Customer; disabled: boolean }) {
  const client = useQueryClient();
  const [text, setText] = useState(customer.notes);
  const [was, setWas] = useState(customer.notes);
  // Someone else's saved notes replace ours only while we have not changed them.
  if (was !== customer.notes) {
    setWas(customer.notes);
    if (text === was) setText(customer.notes);
  }
  const save = useMutation<Customer, ApiError, string>({
    mutationFn: (notes) => api<Customer>(`/customers/${customer.id}`, { method: 'PATCH', body: { notes } }),
    onSuccess: (saved) => client.setQueryData(['customer', customer.id], saved),
  });
  return (
    <div className="field">
      <label htmlFor="customer-notes">{t('ticket.customerNotes')}</label>
      <textarea
        id="customer-notes"
        rows={3}
        value={text}
        disabled={disabled}
        onChange={(event) => setText(event.target.value)}
        onBlur={() => text !== customer.notes && save.mutate(text)}
      />
      <span role="status" className="muted small">
        {save.isPending ? t('ticket.saving') : save.isSuccess ? t('ticket.saved') : ''}
      </span>
      {save.error && (
        <span role="alert" className="error">
          {t('common.error', { detail: save.error.message })}
        </span>
      )}
    </div>
  );
}

function Company({ id }: { id: string }) {
  const company = useQuery({
    queryKey: ['customer', 'company', id],
    queryFn: () => api<{ id: string; name: string }>(`/companies/${id}`),
    staleTime: 60_000,
  });
  return <>{company.data?.name ?? id}</>;
}

function OtherTickets({ ticket }: { ticket: Ticket }) {
  const others = useCustomerTickets(ticket.id, ticket.customer.id);
  return (
    <>
      <h3>{t('ticket.otherTickets')}</h3>
      {others.data?.length === 0 && <p className="muted small">{t('ticket.noOtherTickets')}</p>}
      <ul className="other-tickets">
        {others.data?.map((other) => (
          <li key={other.id}>
            <Link href={`/tickets/${other.id}`}>
              <span className="number">#{other.number}</span> {other.subject}
            </Link>{' '}
            <span className={`pill status-${other.status}`}>{t(`status.${other.status}`)}</span>{' '}
            <span className="muted small">{age(other.lastActivityAt)}</span>
          </li>
        ))}
      </ul>
    </>
  );
}

/** Who the customer is: identities, company, language, tier, notes, figures, orders, calls, other tickets. */
export function CustomerPanel({ ticket, canEdit }: { ticket: Ticket; canEdit: boolean }) {
  const { data: customer, error } = useCustomer(ticket.customer.id);
  return (
    <section className="panel customer-panel" aria-labelledby="customer-title">
      <h2 id="customer-title">{customer?.name || ticket.customer.name || ticket.customer.email}</h2>
      {error && <p role="alert">{t('common.error', { detail: error.message })}</p>}
      {customer && (
        <>
          <IdentityFacts
            customer={customer}
            company={customer.companyId && <Company id={customer.companyId} />}
          />
          <CustomerInsights customerId={customer.id} canEdit={canEdit} />
          <Notes key={customer.id} customer={customer} disabled={!canEdit} />
          <CallsSection ticket={ticket} customer={customer} canEdit={canEdit} />
        </>
      )}
      <OtherTickets ticket={ticket} />
    </section>
  );
}
