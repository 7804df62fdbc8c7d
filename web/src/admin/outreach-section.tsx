import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearch } from 'wouter';
import { api } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import { RowButton, SectionHead, useNotice } from './admin-kit.tsx';
import { AdminList, EditorModal, RowActions, useConfirmedDelete } from './admin-list.tsx';
import { OutreachForm } from './outreach-form.tsx';
import { OutreachStatsView } from './outreach-stats.tsx';
import { campaignsKey, type OutreachCampaign } from './outreach-types.ts';
import './outreach.css';

const segmentText = (campaign: OutreachCampaign) => {
  const parts = [...(campaign.segment.tags ?? []), ...(campaign.segment.tiers ?? [])];
  return parts.length ? parts.join(', ') : t('outreach.everyone');
};

/** Proactive campaigns: messages that go out on a business event, with a hold-out group to measure them. */
export function OutreachSection() {
  const showing = new URLSearchParams(useSearch()).get('stats');
  const client = useQueryClient();
  const notice = useNotice();
  const campaigns = useQuery({
    queryKey: campaignsKey,
    queryFn: () => api<{ data: OutreachCampaign[] }>('/outreach/campaigns'),
    select: (r) => r.data,
  });
  const [editing, setEditing] = useState<OutreachCampaign | 'new' | null>(null);
  const toggle = useMutation({
    mutationFn: (campaign: OutreachCampaign) =>
      api<OutreachCampaign>(`/outreach/campaigns/${campaign.id}`, {
        method: 'PATCH',
        body: { active: !campaign.active },
      }),
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: campaignsKey });
      notice.say(t(saved.active ? 'outreach.resumed' : 'outreach.paused', { name: saved.name }));
    },
    onError: notice.fail,
  });
  const remove = useConfirmedDelete({
    remove: (campaign: OutreachCampaign) =>
      api<void>(`/outreach/campaigns/${campaign.id}`, { method: 'DELETE' }),
    onDeleted: (campaign) => {
      void client.invalidateQueries({ queryKey: campaignsKey });
      notice.say(t('outreach.deleted', { name: campaign.name }));
    },
    title: t('outreach.deleteTitle'),
    message: (campaign) => t('outreach.deleteMessage', { name: campaign.name }),
  });

  const current = showing ? campaigns.data?.find((campaign) => campaign.id === showing) : undefined;
  if (current) return <OutreachStatsView campaign={current} />;
  return (
    <section aria-labelledby="outreach-title">
      <SectionHead
        id="outreach-title"
        title={t('admin.nav.outreach')}
        intro={t('outreach.intro')}
        action={
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            {t('outreach.create')}
          </button>
        }
      />
      {notice.element}
      <AdminList
        error={campaigns.error}
        data={campaigns.data}
        empty={t('outreach.none')}
        columns={[
          t('outreach.name'),
          t('outreach.eventType'),
          t('outreach.channel'),
          t('outreach.segment'),
          t('outreach.state'),
        ]}
        notes={showing && campaigns.data && !current && <p role="alert">{t('outreach.unknown')}</p>}
      >
        {(campaign) => (
          <tr key={campaign.id}>
            <td className="adm-strong">{campaign.name}</td>
            <td className="adm-mono">{campaign.eventType}</td>
            <td>{t(`outreach.channel.${campaign.channel}`)}</td>
            <td>{segmentText(campaign)}</td>
            <td>
              <span className={campaign.active ? 'pill adm-pill-ok' : 'pill'}>
                {campaign.active ? t('outreach.activeState') : t('outreach.pausedState')}
              </span>
            </td>
            <RowActions
              subject={campaign.name}
              onEdit={() => setEditing(campaign)}
              onDelete={() => remove.ask(campaign)}
            >
              <Link
                href={`/admin/outreach?stats=${campaign.id}`}
                className="button-link"
                aria-label={`${t('outreach.statsLink')}: ${campaign.name}`}
              >
                {t('outreach.statsLink')}
              </Link>
              <RowButton
                label={campaign.active ? t('outreach.pause') : t('outreach.resume')}
                subject={campaign.name}
                disabled={toggle.isPending && toggle.variables.id === campaign.id}
                onClick={() => toggle.mutate(campaign)}
              />
            </RowActions>
          </tr>
        )}
      </AdminList>
      <EditorModal
        editing={editing}
        createTitle={t('outreach.create')}
        editTitle={t('outreach.edit')}
        onClose={() => setEditing(null)}
        wide
      >
        {(row) => (
          <OutreachForm
            campaign={row}
            onSaved={(saved) => {
              notice.say(t(row ? 'outreach.saved' : 'outreach.created', { name: saved.name }));
              setEditing(null);
            }}
          />
        )}
      </EditorModal>
      {remove.dialog}
    </section>
  );
}
