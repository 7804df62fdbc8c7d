import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api } from '../api/client.ts';
import type { Me } from '../api/types.ts';
import { type MessageKey, t } from '../i18n/i18n.ts';
import type { TicketFilters } from '../inbox/views.ts';
import { useMembers, useTeams } from '../shell/directory.ts';
import { SectionHead, useNotice } from './admin-kit.tsx';
import { AdminList, EditorModal, RowActions, useConfirmedDelete, VisibilityPill } from './admin-list.tsx';
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
  const remove = useConfirmedDelete({
    remove: (view: ViewDefinition) => api<void>(`/views/${view.id}`, { method: 'DELETE' }),
    onDeleted: (view) => {
      void client.invalidateQueries({ queryKey: ['views'] });
      notice.say(t('admin.views.deleted', { name: view.name }));
    },
    title: t('admin.views.deleteTitle'),
    message: (view) => t('admin.views.deleteMessage', { name: view.name }),
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
      <AdminList
        error={views.error}
        data={views.data}
        empty={t('admin.views.none')}
        columns={[
          t('admin.views.name'),
          t('admin.views.filters'),
          t('admin.visibility'),
          { label: t('admin.views.tickets'), className: 'adm-num' },
        ]}
      >
        {(view) => (
          <tr key={view.id}>
            <td className="adm-strong">
              <Link href={`/inbox/saved/${view.id}`}>{view.name}</Link>
            </td>
            <td className="adm-clip muted adm-wide-cell" title={describe(view.filters)}>
              {describe(view.filters)}
            </td>
            <td>
              <VisibilityPill shared={view.shared} />
            </td>
            <td className="adm-num">
              {view.countCapped ? `${view.count.toLocaleString()}+` : view.count.toLocaleString()}
            </td>
            <RowActions
              subject={view.name}
              onEdit={view.permissions.update ? () => setEditing(view) : undefined}
              onDelete={view.permissions.delete ? () => remove.ask(view) : undefined}
            />
          </tr>
        )}
      </AdminList>
      <EditorModal
        editing={editing}
        createTitle={t('admin.views.create')}
        editTitle={t('admin.views.edit')}
        onClose={() => setEditing(null)}
        wide
      >
        {(row) => (
          <ViewForm
            view={row}
            me={me}
            onSaved={(view) => {
              notice.say(t(row ? 'admin.views.saved' : 'admin.views.created', { name: view.name }));
              setEditing(null);
            }}
          />
        )}
      </EditorModal>
      {remove.dialog}
    </section>
  );
}
