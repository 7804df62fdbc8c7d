import { type MessageKey, t } from '../i18n/i18n.ts';
import { dimensions, type Scorecard } from './training-api.ts';

/** The six-part scorecard: each dimension's score, summary, the agent's quoted lines and better phrasings. */
export function ScorecardView({ card }: { card: Scorecard }) {
  return (
    <section className="scorecard" aria-label={t('training.scorecard')}>
      <p className={`outcome ${card.outcome}`} role="status">
        {t(`training.outcome.${card.outcome}`, { reason: card.reason })} ·{' '}
        {t('training.overall', { score: card.overall })}
      </p>
      <dl>
        {dimensions.map((d) => {
          const part = card.dimensions[d];
          return (
            <div key={d} className="dimension" data-dimension={d}>
              <dt>
                {t(`training.dimension.${d}` as MessageKey)} <strong>{part.score}</strong>
              </dt>
              <dd>
                <p>{part.summary}</p>
                <ul>
                  {part.quotes.map((q) => (
                    <li key={`${d}:${q.note}:${q.text}`}>
                      {q.text && <q>{q.text}</q>} <span className="muted">{q.note}</span>
                      {q.better && <p className="better">{t('training.better', { text: q.better })}</p>}
                    </li>
                  ))}
                </ul>
              </dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}
