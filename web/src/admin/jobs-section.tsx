import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, query } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import { fullDate } from '../shell/format.ts';
import { ago, RowButton, useNotice } from './admin-kit.tsx';
import { AdminList, RowActions } from './admin-list.tsx';

type JobState = 'pending' | 'active' | 'completed' | 'failed' | 'cancelled';
type Job = {
  id: string;
  name: string;
  state: JobState;
  retries: number;
  runAt: string;
  createdAt: string;
  error: string | null;
};
type Filter = '' | 'pending' | 'failed';

const stateClass: Record<JobState, string> = {
  pending: 'pill status-pending',
  active: 'pill status-open',
  completed: 'pill adm-pill-ok',
  failed: 'pill adm-pill-failed',
  cancelled: 'pill status-closed',
};

/**
 * The workspace's background jobs (SLA checks, follow-ups, recurring tickets, surveys, outreach…):
 * what waits and when it runs, what failed and why, and a Retry for each failed one.
 */
export function JobsSection() {
  const client = useQueryClient();
  const notice = useNotice();
  const [state, setState] = useState<Filter>('');
  const jobs = useQuery({
    queryKey: ['admin-jobs', state],
    queryFn: ({ signal }) => api<{ data: Job[] }>(`/admin/jobs${query({ state, limit: 200 })}`, { signal }),
    select: (r) => r.data,
    placeholderData: keepPreviousData,
    refetchInterval: 10_000,
  });
  const retry = useMutation({
    mutationFn: (job: Job) => api(`/admin/jobs/${job.id}/retry`, { method: 'POST' }),
    onSuccess: (_, job) => {
      void client.invalidateQueries({ queryKey: ['admin-jobs'] });
      notice.say(t('admin.jobs.retried', { name: job.name }));
    },
    onError: notice.fail,
  });
  return (
    <section aria-labelledby="jobs-title">
      <div className="admin-head">
        <div>
          <h2 id="jobs-title">{t('admin.jobs.title')}</h2>
          <p className="muted">{t('admin.jobs.intro')}</p>
        </div>
        <div className="adm-inline-controls">
          <label>
            {t('admin.jobs.state')}{' '}
            <select value={state} onChange={(event) => setState(event.target.value as Filter)}>
              <option value="">{t('admin.jobs.all')}</option>
              <option value="pending">{t('admin.jobs.state.pending')}</option>
              <option value="failed">{t('admin.jobs.state.failed')}</option>
            </select>
          </label>
          <button type="button" onClick={() => void jobs.refetch()} disabled={jobs.isFetching}>
            {t('admin.jobs.refresh')}
          </button>
        </div>
      </div>
      {notice.element}
      <AdminList
        error={jobs.error}
        data={jobs.data}
        empty={t('admin.jobs.none')}
        columns={[
          t('admin.jobs.name'),
          t('admin.jobs.state'),
          t('admin.jobs.runAt'),
          { label: t('admin.jobs.retries'), className: 'adm-num' },
          t('admin.jobs.error'),
        ]}
      >
        {(job) => (
          <tr key={job.id} data-job-id={job.id}>
            <td>
              <span className="adm-mono">{job.name}</span>
              <div className="muted adm-small" title={fullDate(job.createdAt)}>
                {ago(job.createdAt)}
              </div>
            </td>
            <td>
              <span className={stateClass[job.state]}>{t(`admin.jobs.state.${job.state}`)}</span>
            </td>
            <td title={fullDate(job.runAt)}>{fullDate(job.runAt)}</td>
            <td className="adm-num">{job.retries}</td>
            <td className="adm-clip adm-error-cell" title={job.error ?? undefined}>
              {job.error ?? ''}
            </td>
            <RowActions subject={job.name}>
              {job.state === 'failed' && (
                <RowButton
                  label={t('admin.jobs.retry')}
                  subject={job.name}
                  disabled={retry.isPending && retry.variables.id === job.id}
                  onClick={() => retry.mutate(job)}
                />
              )}
            </RowActions>
          </tr>
        )}
      </AdminList>
    </section>
  );
}
