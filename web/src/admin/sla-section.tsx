import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client.ts';
import { type MessageKey, t } from '../i18n/i18n.ts';
import { SectionHead, useNotice } from './admin-kit.tsx';
import { AdminList, EditorModal, RowActions, useConfirmedDelete } from './admin-list.tsx';
import type { SlaPolicy } from './automation-types.ts';
import { SlaPolicyForm, useSchedules } from './sla-policy-form.tsx';
import './automation.css';

/** "Urgent, High · Email · vip", or "Every ticket". */
function appliesTo(policy: SlaPolicy): string {
  const { priorities = [], channels = [], tags = [] } = policy.conditions;
  const parts = [
    priorities.map((p) => t(`priority.${p}` as MessageKey)).join(', '),
    channels.map((c) => t(`channel.${c}` as MessageKey)).join(', '),
    tags.join(', '),
  ].filter(Boolean);
  return parts.join(' · ') || t('sla.policy.everyTicket');
}

/** "1 h 30 min", "45 min", or "–" without a target. */
export function minutesText(minutes: number | null): string {
  if (minutes === null) return '–';
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return t('time.minutes', { n: rest });
  return rest === 0
    ? t('time.hours', { n: hours })
    : `${t('time.hours', { n: hours })} ${t('time.minutes', { n: rest })}`;
}

/** Admins' SLA policies, first match by position wins: what each covers, its targets and calendar. */
export function SlaSection() {
  const client = useQueryClient();
  const notice = useNotice();
  const schedules = useSchedules();
  const policies = useQuery({
    queryKey: ['sla-policies'],
    queryFn: () => api<{ data: SlaPolicy[] }>('/admin/sla-policies'),
    select: (r) => r.data,
  });
  const [editing, setEditing] = useState<SlaPolicy | 'new' | null>(null);
  const remove = useConfirmedDelete({
    remove: (policy: SlaPolicy) => api<void>(`/admin/sla-policies/${policy.id}`, { method: 'DELETE' }),
    onDeleted: (policy) => {
      void client.invalidateQueries({ queryKey: ['sla-policies'] });
      notice.say(t('sla.policy.deleted', { name: policy.name }));
    },
    title: t('sla.policy.deleteTitle'),
    message: (policy) => t('sla.policy.deleteMessage', { name: policy.name }),
  });
  const scheduleName = (id: string | null) =>
    id === null ? t('sla.policy.aroundTheClock') : (schedules.data?.find((s) => s.id === id)?.name ?? '…');
  const list = policies.data ?? [];

  return (
    <section aria-labelledby="sla-title">
      <SectionHead
        id="sla-title"
        title={t('admin.nav.sla')}
        intro={t('sla.policies.intro')}
        action={
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            {t('sla.policy.create')}
          </button>
        }
      />
      {notice.element}
      <AdminList
        error={policies.error}
        data={policies.data}
        empty={t('sla.policies.none')}
        columns={[
          t('sla.policy.name'),
          t('sla.policy.appliesTo'),
          t('sla.policy.targetsShort'),
          t('sla.policy.schedule'),
        ]}
      >
        {(policy) => (
          <tr key={policy.id}>
            <td className="adm-strong">
              {policy.name}
              {!policy.active && <span className="pill sla-off">{t('sla.policy.inactive')}</span>}
            </td>
            <td className="muted">{appliesTo(policy)}</td>
            <td className="sla-target-cell">
              {t('sla.policy.targetsLine', {
                first: minutesText(policy.firstReplyMinutes),
                next: minutesText(policy.nextReplyMinutes),
                resolution: minutesText(policy.resolutionMinutes),
              })}
            </td>
            <td>
              {scheduleName(policy.scheduleId)}
              {policy.pauseWhilePending && (
                <div className="muted adm-small-text">{t('sla.policy.pauses')}</div>
              )}
            </td>
            <RowActions
              subject={policy.name}
              onEdit={() => setEditing(policy)}
              onDelete={() => remove.ask(policy)}
            />
          </tr>
        )}
      </AdminList>
      <EditorModal
        editing={editing}
        createTitle={t('sla.policy.create')}
        editTitle={t('sla.policy.edit')}
        onClose={() => setEditing(null)}
        wide
      >
        {(row) => (
          <SlaPolicyForm
            policy={row}
            nextPosition={Math.max(-1, ...list.map((policy) => policy.position)) + 1}
            onSaved={(saved) => {
              notice.say(t(row ? 'sla.policy.saved' : 'sla.policy.created', { name: saved.name }));
              setEditing(null);
            }}
          />
        )}
      </EditorModal>
      {remove.dialog}
    </section>
  );
}
