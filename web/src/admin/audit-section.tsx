import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { Member } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { fullDate } from '../shell/format.ts';
import { ago, SectionHead } from './admin-kit.tsx';
import { AdminList } from './admin-list.tsx';

type AuditEntry = {
  id: string;
  actorUserId: string | null;
  method: string;
  route: string;
  targetId: string | null;
  status: number;
  requestId: string;
  details: Record<string, unknown>;
  createdAt: string;
};
type AuditPage = { data: AuditEntry[]; nextCursor: string | null };

/** Who changed what in the workspace's settings, newest first, fifty at a time. */
export function AuditSection() {
  const entries = useInfiniteQuery({
    queryKey: ['audit-log'],
    queryFn: ({ pageParam }) =>
      api<AuditPage>(`/audit-log?limit=50${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const users = useQuery({
    queryKey: ['users'],
    queryFn: () => api<{ data: Member[] }>('/users'),
    select: (r) => new Map(r.data.map((user) => [user.id, user.name])),
  });
  const rows = entries.data?.pages.flatMap((page) => page.data);

  return (
    <section aria-labelledby="audit-title">
      <SectionHead id="audit-title" title={t('admin.nav.audit')} intro={t('admin.audit.intro')} />
      <AdminList
        error={entries.error}
        data={rows}
        empty={t('admin.audit.none')}
        columns={[
          t('admin.audit.when'),
          t('admin.audit.who'),
          t('admin.audit.action'),
          t('admin.audit.details'),
        ]}
      >
        {(entry) => (
          <tr key={entry.id}>
            <td className="muted" title={fullDate(entry.createdAt)}>
              {ago(entry.createdAt)}
            </td>
            <td>
              {(entry.actorUserId && users.data?.get(entry.actorUserId)) ?? t('admin.audit.formerUser')}
            </td>
            <td>
              <code>
                {entry.method} {entry.route}
              </code>
              {entry.targetId && <div className="muted">{entry.targetId}</div>}
            </td>
            <td>
              <details>
                <summary>{t('admin.audit.show')}</summary>
                <pre className="adm-pre">{JSON.stringify(entry.details, null, 2)}</pre>
                <div className="muted">{t('admin.audit.requestId', { id: entry.requestId })}</div>
              </details>
            </td>
          </tr>
        )}
      </AdminList>
      {entries.hasNextPage && (
        <button
          type="button"
          onClick={() => void entries.fetchNextPage()}
          disabled={entries.isFetchingNextPage}
        >
          {t('admin.audit.more')}
        </button>
      )}
    </section>
  );
}
