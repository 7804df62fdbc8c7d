import { useState } from 'react';
import { t } from '../i18n/i18n.ts';
import { useTriage, useTriageLabels, useTriageVerdict } from './intel-api.ts';

const percent = (confidence: number) => Math.round(confidence * 100);

/**
 * Triage's category for this ticket: filed (applied) or only proposed below the threshold. The agent
 * accepts it or picks the right one; either verdict files the ticket and teaches the model.
 */
export function TriageBox({ ticketId, canDecide }: { ticketId: string; canDecide: boolean }) {
  const suggestion = useTriage(ticketId).data;
  const labels = useTriageLabels();
  const verdict = useTriageVerdict(ticketId);
  const [choice, setChoice] = useState('');
  if (!suggestion) return null;
  const decided = suggestion.state === 'accepted' || suggestion.state === 'corrected';
  const others = (labels.data ?? []).filter((label) => label !== suggestion.category);
  return (
    <div className="intel-triage" data-triage-state={suggestion.state}>
      <h3>{t('intel.triage.title')}</h3>
      <p className="small">
        {suggestion.state === 'corrected' ? (
          <s>{suggestion.category}</s>
        ) : (
          <strong>{suggestion.category}</strong>
        )}{' '}
        <span className="muted">
          {t(`intel.triage.state.${suggestion.state}`, { percent: percent(suggestion.confidence) })}
        </span>
      </p>
      {canDecide && !decided && (
        <div className="intel-actions">
          <button
            type="button"
            disabled={verdict.isPending}
            onClick={() => verdict.mutate(suggestion.category)}
          >
            {t('intel.triage.accept')}
          </button>
          <label>
            <span className="visually-hidden">{t('intel.triage.correctLabel')}</span>
            <select value={choice} onChange={(event) => setChoice(event.target.value)}>
              <option value="">{t('intel.triage.choose')}</option>
              {others.map((label) => (
                <option key={label} value={label}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            disabled={!choice || verdict.isPending}
            onClick={() => verdict.mutate(choice, { onSuccess: () => setChoice('') })}
          >
            {t('intel.triage.correct')}
          </button>
        </div>
      )}
      {verdict.error && (
        <p role="alert" className="error">
          {t('common.error', { detail: verdict.error.message })}
        </p>
      )}
    </div>
  );
}
