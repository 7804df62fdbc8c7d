import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api } from '../api/client.ts';
import type { Me } from '../api/types.ts';
import { type MessageKey, t } from '../i18n/i18n.ts';
import type { TicketFilters } from '../inbox/views.ts';
import { useMembers, useTeams } from '../shell/directory.ts';
import { ConfirmDialog, Modal, RowButton, SectionHead, useNotice } from './admin-kit.tsx';
import type { ViewDefinition } from './admin-types.ts';
import { ViewForm } from './view-form.tsx';

/** "Status: Open, Pending · Assignee: me · Tag: vip": a view's filters in words. */
function useDescribeFilters(): (filters: TicketFilters) => string {
  const { data: members } = useMembers();
  const { data: teams } = useTeams();
  const list = (value: string, prefix: 'status' | 'priority' | 'channel') =>
    value
      .split(',')
      .map((item) => t(`${prefix}.${item}` as MessageKey))
      .join(', ');
  return (filters) => {
    const parts: string[] = [];
    const { status, priority, channel, assignee, team, tag, customer, q } = filters;
    if (status) parts.push(`${t('admin.views.status')}: ${list(status, 'status')}`);
    if (priority) parts.push(`${t('admin.views.priority')}: ${list(priority, 'priority')}`);
    if (channel) parts.push(`${t('admin.views.channel')}: ${list(channel, 'channel')}`);
    if (assignee) {
      const who =
        assignee === 'me'
          ? t('admin.views.me')
          : assignee === 'none'
            ? t('inbox.unassignedName')
            : (members?.find((member) => member.id === assignee)?.name ?? '…');
      parts.push(`${t('admin.views.assignee')}: ${who}`);
    }
    if (team) {
      const name =
        team === 'none' ? t('admin.views.noTeam') : (teams?.find((item) => item.id === team)?.name ?? '…');
      parts.push(`${t('admin.views.team')}: ${name}`);
    }
    if (tag) parts.push(`${t('admin.views.tag')}: ${tag}`);
    if (customer) parts.push(t('admin.views.oneCustomer'));
    if (q) parts.push(`${t('admin.views.text')}: “${q}”`);
    return parts.join(' · ') || t('admin.views.everything');
  };
}

export function ViewsSection({ me }: { me: Me }) {
  const client = useQueryClient();
  const notice = useNotice();
  const describe = useDescribeFilters();
  // Same key and answer as the sidebar's list, so both stay one cache entry.
  const views = useQuery({
    queryKey: ['views'],
    queryFn: () => api<{ data: ViewDefinition[] }>('/views'),
    select: (r) => r.data,
  });
  const [editing, setEditing] = useState<ViewDefinition | 'new' | null>(null);
  const [deleting, setDeleting] = useState<ViewDefinition | null>(null);
  const remove = useMutation({
    mutationFn: (view: ViewDefinition) => api<void>(`/views/${view.id}`, { method: 'DELETE' }),
    onSuccess: (_, view) => {
      void client.invalidateQueries({ queryKey: ['views'] });
      setDeleting(null);
      notice.say(t('admin.views.deleted', { name: view.name }));
    },
  });

  return (
    <section aria-labelledby="views-title">
      <SectionHead
        id="views-title"
        title={t('admin.nav.views')}
        intro={me.user.role === 'admin' ? t('admin.views.introAdmin') : t('admin.views.intro')}
        action={
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            {t('admin.views.create')}
          </button>
        }
      />
      {notice.element}
      {views.error && <p role="alert">{t('common.error', { detail: views.error.message })}</p>}
      {views.data?.length === 0 && <p className="empty">{t('admin.views.none')}</p>}
      {Boolean(views.data?.length) && (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{t('admin.views.name')}</th>
              <th scope="col">{t('admin.views.filters')}</th>
              <th scope="col">{t('admin.visibility')}</th>
              <th scope="col" className="adm-num">
                {t('admin.views.tickets')}
              </th>
              <th scope="col">
                <span className="visually-hidden">{t('admin.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {views.data?.map((view) => (
              <tr key={view.id}>
                <td className="adm-strong">
                  <Link href={`/inbox/saved/${view.id}`}>{view.name}</Link>
                </td>
                <td className="adm-clip muted adm-wide-cell" title={describe(view.filters)}>
                  {describe(view.filters)}
                </td>
                <td>
                  <span className={view.shared ? 'pill adm-pill-shared' : 'pill'}>
                    {view.shared ? t('admin.shared') : t('admin.personal')}
                  </span>
                </td>
                <td className="adm-num">
                  {view.countCapped ? `${view.count.toLocaleString()}+` : view.count.toLocaleString()}
                </td>
                <td className="adm-row-actions">
                  {view.permissions.update && (
                    <RowButton
                      label={t('common.edit')}
                      subject={view.name}
                      onClick={() => setEditing(view)}
                    />
                  )}
                  {view.permissions.delete && (
                    <RowButton
                      label={t('common.delete')}
                      subject={view.name}
                      className="adm-danger-link"
                      onClick={() => {
                        remove.reset();
                        setDeleting(view);
                      }}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('admin.views.create') : t('admin.views.edit')}
        onClose={() => setEditing(null)}
        wide
      >
        <ViewForm
          view={editing === 'new' ? null : editing}
          me={me}
          onSaved={(view) => {
            notice.say(
              t(editing === 'new' ? 'admin.views.created' : 'admin.views.saved', { name: view.name }),
            );
            setEditing(null);
          }}
        />
      </Modal>
      <ConfirmDialog
        open={deleting !== null}
        title={t('admin.views.deleteTitle')}
        message={t('admin.views.deleteMessage', { name: deleting?.name ?? '' })}
        confirmLabel={t('common.delete')}
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onCancel={() => setDeleting(null)}
      />
    </section>
  );
}
