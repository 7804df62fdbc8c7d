import { useState } from 'react';
import { Link } from 'wouter';
import { t } from '../i18n/i18n.ts';
import { useMemberName } from '../shell/directory.ts';
import { type Rubric, type TicketCalibration, useCalibration, useRubrics } from './qa-api.ts';
import { RubricPicker } from './rubric-picker.tsx';

/** One ticket: a row per criterion, a column per reviewer, the spread marked where they disagree. */
function TicketSpread({ item, rubric }: { item: TicketCalibration; rubric: Rubric }) {
  const nameOf = useMemberName();
  const label = `#${item.ticket.number} ${item.ticket.subject}`;
  return (
    <section className={`calibration-ticket${item.disagree ? ' disagree' : ''}`} aria-label={label}>
      <h3>
        <Link href={`/tickets/${item.ticketId}`}>{label}</Link>{' '}
        <span className={item.disagree ? 'warning' : 'muted'}>
          {item.disagree ? t('qa.calibration.disagree') : t('qa.calibration.agree')}
        </span>
      </h3>
      <table>
        <thead>
          <tr>
            <th>{t('qa.calibration.criterion')}</th>
            {item.reviews.map((r) => (
              <th key={r.reviewerId}>{nameOf(r.reviewerId) ?? t('training.someone')}</th>
            ))}
            <th>{t('qa.calibration.spread')}</th>
          </tr>
        </thead>
        <tbody>
          {rubric.criteria.map((c) => {
            const spread = item.criteria.find((s) => s.key === c.key);
            return (
              <tr key={c.key} data-criterion={c.key} className={spread?.disagree ? 'disagree' : undefined}>
                <th scope="row">{c.label}</th>
                {item.reviews.map((r) => (
                  <td key={r.reviewerId}>{r.scores[c.key] ?? '–'}</td>
                ))}
                <td>{spread ? t('qa.points', { n: spread.spread, max: c.max }) : '–'}</td>
              </tr>
            );
          })}
          <tr data-criterion="total">
            <th scope="row">{t('qa.calibration.total')}</th>
            {item.reviews.map((r) => (
              <td key={r.reviewerId}>{r.total}</td>
            ))}
            <td>{item.totalSpread}</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}

/** Calibration for leads: how far reviewers of the same tickets were apart, per ticket and criterion. */
export function QaCalibration() {
  const rubrics = useRubrics().data ?? [];
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const rubric = rubrics.find((r) => r.id === chosen) ?? rubrics.find((r) => r.active) ?? rubrics[0];
  const calibration = useCalibration(rubric?.id);
  return (
    <div className="qa-calibration">
      <p className="muted">{t('qa.calibration.intro')}</p>
      <RubricPicker rubrics={rubrics} value={rubric?.id} onChange={setChosen} />
      {calibration.error && <p role="alert">{t('common.error', { detail: calibration.error.message })}</p>}
      {calibration.data && (
        <p role="status">
          {calibration.data.agreement === null
            ? t('qa.calibration.none')
            : t('qa.calibration.summary', {
                agreement: calibration.data.agreement,
                disagreeing: calibration.data.disagreeing,
                tickets: calibration.data.tickets.length,
              })}
        </p>
      )}
      {rubric &&
        calibration.data?.tickets.map((item) => (
          <TicketSpread key={item.ticketId} item={item} rubric={rubric} />
        ))}
    </div>
  );
}
