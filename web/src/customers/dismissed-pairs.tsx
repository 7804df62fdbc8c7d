import { t } from '../i18n/i18n.ts';
import { useDismissals, useDismissDuplicate } from './customer-api.ts';

/** Pairs an agent said are two people, each with an Undo that lets the pair be suggested again. */
export function DismissedPairs({ onUndone }: { onUndone: (notice: string) => void }) {
  const dismissals = useDismissals();
  const undo = useDismissDuplicate();
  if (!dismissals.data?.length) return null;
  return (
    <section className="panel c360-dismissed" aria-labelledby="dismissed-pairs">
      <h2 id="dismissed-pairs">{t('customer.duplicates.dismissedTitle')}</h2>
      <ul aria-labelledby="dismissed-pairs">
        {dismissals.data.map((dismissal) => {
          const pair = t('customer.duplicates.pair', {
            a: dismissal.names[0] || '?',
            b: dismissal.names[1] || '?',
          });
          return (
            <li key={dismissal.id}>
              {pair} <span className="muted small">{new Date(dismissal.createdAt).toLocaleDateString()}</span>{' '}
              <button
                type="button"
                aria-label={t('customer.duplicates.undoLabel', { pair })}
                disabled={undo.isPending}
                onClick={() =>
                  undo.mutate(
                    { undo: dismissal.id },
                    { onSuccess: () => onUndone(t('customer.duplicates.undone', { pair })) },
                  )
                }
              >
                {t('customer.duplicates.undo')}
              </button>
            </li>
          );
        })}
      </ul>
      {undo.error && (
        <p role="alert" className="error">
          {t('common.error', { detail: undo.error.message })}
        </p>
      )}
    </section>
  );
}
