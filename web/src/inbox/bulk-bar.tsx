import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client.ts';
import type { Me, TicketStatus } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { useMembers } from '../shell/directory.ts';

type BulkResult = { results: { id: string; ok: boolean }[] };
const statuses: TicketStatus[] = ['open', 'pending', 'on_hold', 'solved'];

/** Assign, set status or tag every selected ticket in one request; failures are reported per ticket. */
export function BulkBar({ ids, me, onDone }: { ids: string[]; me: Me; onDone: (outcome: string) => void }) {
  const client = useQueryClient();
  const { data: members } = useMembers();
  const [assignee, setAssignee] = useState('');
  const [status, setStatus] = useState('');
  const [tag, setTag] = useState('');
  const apply = useMutation({
    mutationFn: (changes: Record<string, unknown>) =>
      api<BulkResult>('/tickets/bulk', { body: { ticketIds: ids, changes } }),
    onSuccess: (result) => {
      const ok = result.results.filter((r) => r.ok).length;
      const failed = result.results.length - ok;
      void client.invalidateQueries({ queryKey: ['tickets'] });
      void client.invalidateQueries({ queryKey: ['counts'] });
      setAssignee('');
      setStatus('');
      setTag('');
      // The bar closes with the selection, so the page announces the outcome.
      onDone(failed ? t('bulk.partial', { ok, failed }) : t('bulk.done', { ok }));
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const changes: Record<string, unknown> = {};
    if (assignee) changes.assigneeId = assignee === 'none' ? null : assignee;
    if (status) changes.status = status;
    if (tag.trim()) changes.addTags = [tag.trim()];
    if (Object.keys(changes).length) apply.mutate(changes);
  };
  const canEdit = me.user.role !== 'light';
  return (
    <form className="bulk-bar" onSubmit={submit} aria-label={t('inbox.selected', { count: ids.length })}>
      <strong>{t('inbox.selected', { count: ids.length })}</strong>
      <select
        aria-label={t('bulk.assign')}
        value={assignee}
        onChange={(e) => setAssignee(e.target.value)}
        disabled={!canEdit}
      >
        <option value="">{t('bulk.assign')}</option>
        <option value="none">{t('inbox.unassignedName')}</option>
        {members
          ?.filter((m) => m.role !== 'light' && !m.disabled)
          .map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
      </select>
      <select
        aria-label={t('bulk.setStatus')}
        value={status}
        onChange={(e) => setStatus(e.target.value)}
        disabled={!canEdit}
      >
        <option value="">{t('bulk.setStatus')}</option>
        {statuses.map((s) => (
          <option key={s} value={s}>
            {t(`status.${s}`)}
          </option>
        ))}
      </select>
      <input
        aria-label={t('bulk.addTag')}
        placeholder={t('bulk.tagPlaceholder')}
        value={tag}
        onChange={(e) => setTag(e.target.value)}
        disabled={!canEdit}
      />
      <button type="submit" className="primary" disabled={!canEdit || apply.isPending}>
        {t('bulk.apply')}
      </button>
      {apply.error && <span role="alert">{t('common.error', { detail: apply.error.message })}</span>}
    </form>
  );
}
