import { Link } from 'wouter';
import { t } from '../i18n/i18n.ts';
import { useProfile } from './customer-api.ts';
import { CustomerNotes } from './customer-notes.tsx';
import { LatestOrder, LifetimeFacts, TierAndConsent } from './profile-facts.tsx';
import { Recommendations } from './recommendations.tsx';
import './customers.css';

/**
 * The Customer 360 part of the ticket's customer panel: tier and consent, notes (pinned first),
 * lifetime figures, the latest order, recommended products and the way to the full customer page.
 */
export function CustomerInsights({ customerId, canEdit }: { customerId: string; canEdit: boolean }) {
  const profile = useProfile(customerId);
  if (profile.error)
    return (
      <p role="alert" className="error small">
        {t('common.error', { detail: profile.error.message })}
      </p>
    );
  if (!profile.data) return <p className="muted small">{t('common.loading')}</p>;
  const { customer, lifetime, latestOrder, notes } = profile.data;
  return (
    <div className="c360">
      <TierAndConsent customer={customer} />
      <CustomerNotes customerId={customer.id} notes={notes} canEdit={canEdit} />
      <h3>{t('customer.lifetime.title')}</h3>
      <LifetimeFacts lifetime={lifetime} />
      <h3>{t('customer.latestOrder')}</h3>
      <LatestOrder order={latestOrder} />
      <Recommendations customerId={customer.id} />
      <p>
        <Link href={`/customers/${customer.id}`}>{t('customer.openPage')}</Link>
      </p>
    </div>
  );
}
