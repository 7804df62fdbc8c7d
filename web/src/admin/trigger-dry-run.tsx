import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { api } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import { FormProblem, Modal } from './admin-kit.tsx';
import type { DryRun, Trigger } from './automation-types.ts';

const RECENT = 100;

/** "tags → billing, vip; priority → high": what a trigger would change on one ticket. */
function describeChanges(changes: Record<string, unknown>, effects: string[]): string {
  const parts = Object.entries(changes).map(
    ([field, value]) =>
      `${field} → ${Array.isArray(value) ? value.join(', ') : typeof value === 'object' ? JSON.stringify(value) : String(value)}`,
  );
  if (effects.length) parts.push(`${t('automation.dryRun.effects')}: ${effects.join(', ')}`);
  return parts.join('; ') || t('automation.dryRun.noChange');
}

/** Which of the last tickets the trigger would match now, and what it would do; writes nothing. */
export function TriggerDryRun({ trigger, onClose }: { trigger: Trigger | null; onClose: () => void }) {
  const run = useQuery({
    queryKey: ['triggers', 'dry-run', trigger?.id],
    enabled: trigger !== null,
    // Always a fresh look: the tickets and the rule may have changed since the last run.
    gcTime: 0,
    queryFn: () => api<DryRun>(`/admin/triggers/${trigger?.id}/dry-run?limit=${RECENT}`, { method: 'POST' }),
  });
  const data = run.data;
  return (
    <Modal
      open={trigger !== null}
      title={t('automation.dryRun.title', { name: trigger?.name ?? '' })}
      onClose={onClose}
      wide
    >
      {run.isPending && <p className="loading">{t('common.loading')}</p>}
      {run.error && <FormProblem error={run.error} />}
      {data && (
        <>
          <p role="status">
            {t('automation.dryRun.summary', { matched: data.matches.length, checked: data.checked })}
          </p>
          {data.matches.length > 0 && (
            <ul className="dry-run-list" aria-label={t('automation.dryRun.matches')}>
              {data.matches.map((match) => (
                <li key={match.ticketId}>
                  <Link href={`/tickets/${match.ticketId}`}>#{match.number}</Link>{' '}
                  <span className="muted">{describeChanges(match.changes, match.effects)}</span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <div className="adm-dialog-actions">
        <button type="button" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </Modal>
  );
}
