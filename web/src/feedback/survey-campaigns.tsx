import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { RowButton, SectionHead, shortDate, useNotice } from '../admin/admin-kit.tsx';
import { AdminList, EditorModal, RowActions } from '../admin/admin-list.tsx';
import { api } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import {
  type CampaignStats,
  campaignStatsKey,
  type SurveyCampaign,
  surveyCampaignsKey,
} from './feedback-types.ts';
import { SurveyCampaignForm } from './survey-campaign-form.tsx';

const percent = (value: number | null) => (value === null ? '—' : `${Math.round(value * 100)}%`);

/** The campaign's score: NPS with its split, or the CES mean. */
function Score({ stats }: { stats: CampaignStats | undefined }) {
  if (!stats) return <>—</>;
  if (stats.nps) {
    const { score, promoters, passives, detractors } = stats.nps;
    return (
      <span>
        {t('feedback.stats.nps', { score: score === null ? '—' : Math.round(score) })}{' '}
        <span className="muted">{t('feedback.stats.split', { promoters, passives, detractors })}</span>
      </span>
    );
  }
  const mean = stats.ces?.mean;
  return <>{t('feedback.stats.ces', { mean: mean == null ? '—' : mean.toFixed(1) })}</>;
}

/** NPS and CES campaigns: who they survey and when, switched on and off, and how they are answered. */
export function SurveyCampaigns() {
  const client = useQueryClient();
  const notice = useNotice();
  const campaigns = useQuery({
    queryKey: surveyCampaignsKey,
    queryFn: () => api<{ data: SurveyCampaign[] }>('/survey-campaigns'),
    select: (r) => r.data,
  });
  const stats = useQuery({
    queryKey: campaignStatsKey,
    queryFn: () => api<{ data: CampaignStats[] }>('/survey-campaigns/stats'),
    select: (r) => r.data,
  });
  const [editing, setEditing] = useState<SurveyCampaign | 'new' | null>(null);
  const toggle = useMutation({
    mutationFn: (campaign: SurveyCampaign) =>
      api<SurveyCampaign>(`/survey-campaigns/${campaign.id}`, {
        method: 'PATCH',
        body: { active: !campaign.active },
      }),
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: surveyCampaignsKey });
      notice.say(
        t(saved.active ? 'feedback.campaign.enabled' : 'feedback.campaign.disabled', { name: saved.name }),
      );
    },
    onError: notice.fail,
  });
  const statsOf = (id: string) => stats.data?.find((row) => row.campaignId === id);
  return (
    <section aria-labelledby="survey-campaigns-title">
      <SectionHead
        id="survey-campaigns-title"
        level={3}
        title={t('feedback.campaigns')}
        intro={t('feedback.campaigns.intro')}
        action={
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            {t('feedback.campaign.create')}
          </button>
        }
      />
      {notice.element}
      <AdminList
        error={campaigns.error ?? stats.error}
        data={campaigns.data}
        empty={t('feedback.campaigns.none')}
        columns={[
          t('feedback.campaign.name'),
          t('feedback.campaign.kind'),
          t('feedback.campaign.segment'),
          t('feedback.campaign.schedule'),
          t('feedback.stats.sent'),
          t('feedback.stats.suppressed'),
          t('feedback.stats.answered'),
          t('feedback.stats.responseRate'),
          t('feedback.stats.score'),
          t('feedback.campaign.state'),
        ]}
      >
        {(campaign) => {
          const row = statsOf(campaign.id);
          return (
            <tr key={campaign.id} data-campaign={campaign.name}>
              <td className="adm-strong">{campaign.name}</td>
              <td>{t(`feedback.kind.${campaign.kind}`)}</td>
              <td>{campaign.segment.tags?.join(', ') || t('feedback.campaign.everyone')}</td>
              <td>
                {t('feedback.campaign.every', {
                  days: campaign.everyDays,
                  rest: campaign.suppressionDays,
                  next: shortDate(campaign.nextRunAt),
                })}
              </td>
              <td data-stat="sent">{row?.sent ?? '—'}</td>
              <td data-stat="suppressed">{row?.suppressed ?? '—'}</td>
              <td data-stat="answered">{row?.answered ?? '—'}</td>
              <td data-stat="rate">{percent(row?.responseRate ?? null)}</td>
              <td data-stat="score">
                <Score stats={row} />
              </td>
              <td>
                <span className={campaign.active ? 'pill adm-pill-ok' : 'pill'}>
                  {campaign.active ? t('feedback.campaign.on') : t('feedback.campaign.off')}
                </span>
              </td>
              <RowActions subject={campaign.name} onEdit={() => setEditing(campaign)}>
                <RowButton
                  label={campaign.active ? t('feedback.campaign.disable') : t('feedback.campaign.enable')}
                  subject={campaign.name}
                  disabled={toggle.isPending && toggle.variables.id === campaign.id}
                  onClick={() => toggle.mutate(campaign)}
                />
              </RowActions>
            </tr>
          );
        }}
      </AdminList>
      <EditorModal
        editing={editing}
        createTitle={t('feedback.campaign.create')}
        editTitle={t('feedback.campaign.edit')}
        onClose={() => setEditing(null)}
        wide
      >
        {(row) => (
          <SurveyCampaignForm
            campaign={row}
            onSaved={(saved) => {
              notice.say(
                t(row ? 'feedback.campaign.saved' : 'feedback.campaign.created', { name: saved.name }),
              );
              setEditing(null);
            }}
          />
        )}
      </EditorModal>
    </section>
  );
}
