import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'wouter';
import { type ApiError, api } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import { Field, FormProblem, SectionHead } from './admin-kit.tsx';
import { AdminTable } from './admin-list.tsx';
import type { OutcomeGroup, OutreachCampaign, OutreachStats } from './outreach-types.ts';

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;
const points = (difference: number) =>
  `${difference > 0 ? '+' : ''}${(difference * 100).toFixed(1)} ${t('outreach.stats.points')}`;

/** A group's 7-day ticket rate, or why there is none yet: nobody's 7 days are over. */
function rateText(group: OutcomeGroup) {
  if (group.rate !== null) return percent(group.rate);
  return group.customers === 0 ? t('outreach.stats.nobody') : t('outreach.stats.pending');
}

function CouponUpload({ campaign }: { campaign: OutreachCampaign }) {
  const client = useQueryClient();
  const [text, setText] = useState('');
  const upload = useMutation<{ added: number; duplicates: number; left: number }, ApiError, string[]>({
    mutationFn: (codes) => api(`/outreach/campaigns/${campaign.id}/coupons`, { body: { codes } }),
    onSuccess: () => {
      setText('');
      void client.invalidateQueries({ queryKey: ['outreach', 'stats', campaign.id] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // One code a line, or separated by commas: what a spreadsheet column pastes as.
    const codes = text
      .split(/[\n,;]+/)
      .map((code) => code.trim())
      .filter(Boolean);
    if (codes.length) upload.mutate(codes);
  };
  return (
    <form className="stack" onSubmit={submit}>
      <Field label={t('outreach.coupons.paste')} hint={t('outreach.coupons.hint')}>
        {(a11y) => (
          <textarea
            {...a11y}
            className="adm-mono"
            rows={4}
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
        )}
      </Field>
      <p role="status" className="adm-hint">
        {upload.data && t('outreach.coupons.added', upload.data)}
      </p>
      <FormProblem error={upload.error} />
      <div>
        <button type="submit" disabled={upload.isPending || !text.trim()}>
          {t('outreach.coupons.add')}
        </button>
      </div>
    </form>
  );
}

/** What a campaign did: sent, held out, skipped by reason, and contacted against hold-out ticket rates. */
export function OutreachStatsView({ campaign }: { campaign: OutreachCampaign }) {
  const stats = useQuery<OutreachStats, ApiError>({
    queryKey: ['outreach', 'stats', campaign.id],
    queryFn: () => api<OutreachStats>(`/outreach/campaigns/${campaign.id}/stats`),
    refetchInterval: 5_000,
  });
  const data = stats.data;
  const skipped = Object.entries(data?.skipped ?? {});
  return (
    <section className="outreach-stats" aria-labelledby="outreach-stats-title">
      <p>
        <Link href="/admin/outreach">{t('outreach.back')}</Link>
      </p>
      <SectionHead
        id="outreach-stats-title"
        title={t('outreach.stats.title', { name: campaign.name })}
        intro={t('outreach.stats.intro', { event: campaign.eventType })}
      />
      {stats.error && <p role="alert">{t('common.error', { detail: stats.error.message })}</p>}
      {data && (
        <>
          <dl className="outreach-figures" aria-label={t('outreach.stats.figures')}>
            <div>
              <dt>{t('outreach.stats.sent')}</dt>
              <dd>{data.sent}</dd>
            </div>
            <div>
              <dt>{t('outreach.stats.heldOut')}</dt>
              <dd>{data.heldOut}</dd>
            </div>
            <div>
              <dt>{t('outreach.stats.skipped')}</dt>
              <dd>{skipped.reduce((sum, [, n]) => sum + n, 0)}</dd>
            </div>
            <div>
              <dt>{t('outreach.stats.couponsLeft')}</dt>
              <dd>{data.couponsLeft}</dd>
            </div>
          </dl>
          {skipped.length > 0 && (
            <>
              <h3>{t('outreach.stats.skippedBy')}</h3>
              <ul>
                {skipped.map(([reason, n]) => (
                  <li key={reason}>
                    <span className="adm-mono">{reason}</span>: {n}
                  </li>
                ))}
              </ul>
            </>
          )}
          <h3 id="outreach-outcome-title">{t('outreach.stats.outcome')}</h3>
          <AdminTable
            labelledBy="outreach-outcome-title"
            columns={[
              t('outreach.stats.group'),
              { label: t('outreach.stats.customers'), className: 'adm-num' },
              { label: t('outreach.stats.settled'), className: 'adm-num' },
              { label: t('outreach.stats.opened'), className: 'adm-num' },
              { label: t('outreach.stats.rate'), className: 'adm-num' },
            ]}
          >
            {(
              [
                [t('outreach.stats.contacted'), data.contacted],
                [t('outreach.stats.holdoutGroup'), data.holdout],
              ] as const
            ).map(([label, group]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td className="adm-num">{group.customers}</td>
                <td className="adm-num">{group.settled}</td>
                <td className="adm-num">{group.openedTicket}</td>
                <td className="adm-num">{rateText(group)}</td>
                <td />
              </tr>
            ))}
          </AdminTable>
          <p role="status" className="outreach-difference">
            {data.difference === null
              ? t('outreach.stats.noDifference')
              : t('outreach.stats.difference', { points: points(data.difference) })}
          </p>
          <p className="adm-hint">{t('outreach.stats.readme')}</p>
        </>
      )}
      <h3>{t('outreach.coupons.title')}</h3>
      <CouponUpload campaign={campaign} />
    </section>
  );
}
