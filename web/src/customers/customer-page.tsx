import { Link } from 'wouter';
import type { Me } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { useProfile } from './customer-api.ts';
import { CustomerNotes } from './customer-notes.tsx';
import { CustomerTimeline } from './customer-timeline.tsx';
import { IdentityFacts } from './identity-facts.tsx';
import { LatestOrder, LifetimeFacts, TierAndConsent } from './profile-facts.tsx';
import { Recommendations } from './recommendations.tsx';
import './customers.css';

/** One customer across every channel: who they are, their figures and notes, and the whole timeline. */
export default function CustomerPage({ id, me }: { id: string; me: Me }) {
  const profile = useProfile(id);
  if (profile.error)
    return (
      <div className="page">
        <p role="alert">{t('common.error', { detail: profile.error.message })}</p>
      </div>
    );
  if (!profile.data) return <p className="loading">{t('common.loading')}</p>;
  const { customer, company, lifetime, latestOrder, notes } = profile.data;
  return (
    <div className="page customer-page">
      <header className="c360-head">
        <h1>{customer.name || customer.email || customer.phone || t('customer.unnamed')}</h1>
        {customer.mergedIntoId && (
          <p role="status">
            {t('customer.mergedInto')}{' '}
            <Link href={`/customers/${customer.mergedIntoId}`}>{t('customer.openSurvivor')}</Link>
          </p>
        )}
        <TierAndConsent customer={customer} />
      </header>
      <div className="c360-columns">
        <aside className="c360-side" aria-label={t('customer.profile')}>
          <section className="panel" aria-labelledby="customer-identity-title">
            <h2 id="customer-identity-title">{t('customer.profile')}</h2>
            <IdentityFacts customer={customer} company={company?.name} />
          </section>
          <section className="panel" aria-labelledby="customer-lifetime-title">
            <h2 id="customer-lifetime-title">{t('customer.lifetime.title')}</h2>
            <LifetimeFacts lifetime={lifetime} />
            <h3>{t('customer.latestOrder')}</h3>
            <LatestOrder order={latestOrder} />
          </section>
          <div className="panel">
            <CustomerNotes customerId={customer.id} notes={notes} canEdit={me.user.role !== 'light'} />
            <Recommendations customerId={customer.id} />
          </div>
        </aside>
        <div className="panel c360-main">
          <CustomerTimeline customerId={customer.id} />
        </div>
      </div>
    </div>
  );
}
