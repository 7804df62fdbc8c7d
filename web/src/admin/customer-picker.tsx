import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, query } from '../api/client.ts';
import type { Customer } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';

const describe = (customer: Customer) =>
  customer.email ? `${customer.name} (${customer.email})` : customer.name;

/** Picks one customer by name or email; the chosen id is what the form keeps. */
export function CustomerPicker({ value, onChange }: { value: string; onChange: (id: string) => void }) {
  const id = useId();
  const [q, setQ] = useState('');
  const chosen = useQuery({
    queryKey: ['admin-customer', value],
    queryFn: () => api<Customer>(`/customers/${value}`),
    enabled: Boolean(value),
  });
  const found = useQuery({
    queryKey: ['customer-search', q.trim()],
    queryFn: ({ signal }) =>
      api<{ data: Customer[] }>(`/customers${query({ q: q.trim(), limit: 8 })}`, { signal }),
    enabled: !value && q.trim().length >= 2,
    select: (r) => r.data,
  });
  if (value)
    return (
      <fieldset className="adm-field adm-bare">
        <legend className="adm-label">{t('admin.views.customer')}</legend>
        <div className="adm-inline-controls">
          <span className="adm-picked">
            {chosen.data ? describe(chosen.data) : chosen.error ? value : '…'}
          </span>
          <button type="button" onClick={() => onChange('')}>
            {t('admin.views.anyCustomer')}
          </button>
        </div>
      </fieldset>
    );
  return (
    <div className="adm-field">
      <label htmlFor={id}>{t('admin.views.customer')}</label>
      <input
        id={id}
        type="search"
        value={q}
        placeholder={t('admin.views.customerPlaceholder')}
        aria-describedby={`${id}-results`}
        onChange={(event) => setQ(event.target.value)}
      />
      <div id={`${id}-results`} className="adm-picker-results" aria-live="polite">
        {found.data?.length === 0 && <p className="adm-hint">{t('admin.views.noCustomer')}</p>}
        {found.data && found.data.length > 0 && (
          <ul>
            {found.data.map((customer) => (
              <li key={customer.id}>
                <button type="button" className="adm-link-button" onClick={() => onChange(customer.id)}>
                  {describe(customer)}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
