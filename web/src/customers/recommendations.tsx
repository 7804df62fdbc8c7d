import { t } from '../i18n/i18n.ts';
import { useRecommendations } from './customer-api.ts';

/**
 * Products the customer has not bought yet, each with the server's reason: "bought X; customers who bought
 * it also bought Y", or, for one offered for selling well lately, how many customers bought it recently.
 */
export function Recommendations({ customerId }: { customerId: string }) {
  const recommendations = useRecommendations(customerId);
  return (
    <section className="c360-recommended" aria-labelledby={`recommended-${customerId}`}>
      <h3 id={`recommended-${customerId}`}>{t('customer.recommended.title')}</h3>
      {recommendations.error && (
        <p role="alert" className="error small">
          {t('common.error', { detail: recommendations.error.message })}
        </p>
      )}
      {recommendations.data?.length === 0 && <p className="muted small">{t('customer.recommended.none')}</p>}
      {Boolean(recommendations.data?.length) && (
        <ul className="c360-recommend-list" aria-label={t('customer.recommended.title')}>
          {recommendations.data?.map((item) => (
            <li key={item.sku}>
              <strong>{item.name || item.sku}</strong> <span className="muted small">{item.sku}</span>
              <p className="muted small">{item.reason}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
