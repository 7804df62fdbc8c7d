import { useState } from 'react';
import { Link } from 'wouter';
import type { Customer } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import {
  type DuplicatePair,
  money,
  type Profile,
  useDismissDuplicate,
  useDuplicates,
  useMergeCustomers,
  useProfile,
} from './customer-api.ts';
import { DismissedPairs } from './dismissed-pairs.tsx';
import { IdentityFacts } from './identity-facts.tsx';
import './customers.css';

const displayName = (customer: Customer) => customer.name || customer.email || customer.phone || customer.id;

/** One side of a pair: enough about the customer to choose which record survives. */
function Candidate({
  profile,
  chosen,
  group,
  onChoose,
}: {
  profile: Profile;
  chosen: boolean;
  group: string;
  onChoose: () => void;
}) {
  const { customer, company, lifetime } = profile;
  return (
    <div className={chosen ? 'c360-candidate chosen' : 'c360-candidate'}>
      <label className="c360-keep">
        <input type="radio" name={group} checked={chosen} onChange={onChoose} />{' '}
        {t('customer.duplicates.keep', { name: displayName(customer) })}
      </label>
      <IdentityFacts customer={customer} company={company?.name}>
        <div>
          <dt>{t('customer.lifetime.tickets')}</dt>
          <dd>{lifetime.tickets}</dd>
        </div>
        <div>
          <dt>{t('customer.lifetime.orders')}</dt>
          <dd>
            {t('customer.lifetime.ordersValue', {
              n: lifetime.orders,
              value: money(lifetime.orderValue, lifetime.currency),
            })}
          </dd>
        </div>
        <div>
          <dt>{t('customer.since')}</dt>
          <dd>{new Date(customer.createdAt).toLocaleDateString()}</dd>
        </div>
      </IdentityFacts>
      <Link href={`/customers/${customer.id}`}>{t('customer.openPage')}</Link>
    </div>
  );
}

/** A suggested pair side by side, with the reason, a Merge that keeps the chosen record and a Not a duplicate. */
function PairReview({ pair, onDone }: { pair: DuplicatePair; onDone: (notice: string) => void }) {
  const [first, second] = pair.customerIds;
  const a = useProfile(first);
  const b = useProfile(second);
  const [keep, setKeep] = useState(first);
  const merge = useMergeCustomers();
  const dismiss = useDismissDuplicate();
  const title = t('customer.duplicates.pair', { a: pair.names[0] || '?', b: pair.names[1] || '?' });
  const loadError = a.error ?? b.error;
  return (
    <article className="panel c360-pair" aria-label={title}>
      <header className="c360-pair-head">
        <h2>{title}</h2>
        <span className="pill c360-reason">{t('customer.duplicates.reason', { reason: pair.reason })}</span>
      </header>
      {loadError && (
        <p role="alert" className="error">
          {t('common.error', { detail: loadError.message })}
        </p>
      )}
      {a.data && b.data && (
        <fieldset className="c360-sides">
          <legend className="visually-hidden">{t('customer.duplicates.choose')}</legend>
          <Candidate
            profile={a.data}
            chosen={keep === first}
            group={`keep-${first}-${second}`}
            onChoose={() => setKeep(first)}
          />
          <Candidate
            profile={b.data}
            chosen={keep === second}
            group={`keep-${first}-${second}`}
            onChoose={() => setKeep(second)}
          />
        </fieldset>
      )}
      <div className="c360-pair-actions">
        <button
          type="button"
          className="primary"
          disabled={merge.isPending || !a.data || !b.data}
          onClick={() => {
            const source = keep === first ? second : first;
            const kept = keep === first ? a.data : b.data;
            merge.mutate(
              { source, into: keep },
              {
                onSuccess: () =>
                  onDone(t('customer.duplicates.merged', { name: kept ? displayName(kept.customer) : keep })),
              },
            );
          }}
        >
          {t('customer.duplicates.merge')}
        </button>
        <span className="muted small">{t('customer.duplicates.mergeHint')}</span>
        <button
          type="button"
          disabled={dismiss.isPending}
          onClick={() =>
            dismiss.mutate(
              { customerIds: pair.customerIds },
              { onSuccess: () => onDone(t('customer.duplicates.dismissed', { pair: title })) },
            )
          }
        >
          {t('customer.duplicates.dismiss')}
        </button>
      </div>
      {(merge.error ?? dismiss.error) && (
        <p role="alert" className="error">
          {t('common.error', { detail: (merge.error ?? dismiss.error)!.message })}
        </p>
      )}
    </article>
  );
}

/** Suggested merges (same email, same phone, a similar name at the same company) to review one by one. */
export default function DuplicatesPage() {
  const duplicates = useDuplicates();
  const [notice, setNotice] = useState('');
  return (
    <div className="page duplicates-page">
      <h1>{t('customer.duplicates.title')}</h1>
      <p className="muted">{t('customer.duplicates.intro')}</p>
      <p role="status" className="c360-notice">
        {notice}
      </p>
      {duplicates.error && (
        <p role="alert" className="error">
          {t('common.error', { detail: duplicates.error.message })}
        </p>
      )}
      {duplicates.data?.length === 0 && <p className="empty">{t('customer.duplicates.none')}</p>}
      {duplicates.data?.map((pair) => (
        <PairReview key={pair.customerIds.join(':')} pair={pair} onDone={setNotice} />
      ))}
      <DismissedPairs onUndone={setNotice} />
    </div>
  );
}
