import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import { fullDate } from '../shell/format.ts';
import { fileSize } from '../ticket/ticket-format.ts';
import { ago, RowButton, SectionHead, useNotice } from './admin-kit.tsx';
import { AdminList, RowActions, useConfirmedDelete } from './admin-list.tsx';
import type { IntakeOutcome, Quarantined } from './email-types.ts';

const quarantineKey = ['email', 'quarantine'] as const;
const subjectOf = (row: Quarantined) => row.subject || t('email.quarantine.noSubject');

/** What became of a released message, said in words; a stored one links to its ticket. */
function releaseText(outcome: IntakeOutcome): string {
  if (outcome.status === 'stored') return t('email.quarantine.released');
  if (outcome.status === 'duplicate') return t('email.quarantine.duplicate');
  if (outcome.status === 'bounce') return t('email.quarantine.bounce');
  return t('email.quarantine.heldAgain', { reason: outcome.reason ?? '' });
}

/** Messages held back from the intake: why, from whom, and Download / Release / Delete for each. */
export function EmailQuarantine() {
  const client = useQueryClient();
  const notice = useNotice();
  const [releasedTo, setReleasedTo] = useState<string | null>(null);
  const held = useQuery({
    queryKey: quarantineKey,
    queryFn: () => api<{ data: Quarantined[] }>('/channels/email/quarantine'),
    select: (r) => r.data,
  });
  const refresh = () =>
    Promise.all([
      client.invalidateQueries({ queryKey: quarantineKey }),
      client.invalidateQueries({ queryKey: ['email', 'stats'] }),
    ]);
  const release = useMutation({
    mutationFn: (row: Quarantined) =>
      api<IntakeOutcome>(`/channels/email/quarantine/${row.id}/release`, { method: 'POST' }),
    // The notice waits for the fresh list, so what it says and what the table shows agree.
    onSuccess: async (outcome) => {
      await refresh();
      setReleasedTo(outcome.ticketId);
      if (outcome.status === 'quarantined') notice.fail(new Error(releaseText(outcome)));
      else notice.say(releaseText(outcome));
    },
    onError: notice.fail,
  });
  const remove = useConfirmedDelete({
    remove: (row: Quarantined) => api<void>(`/channels/email/quarantine/${row.id}`, { method: 'DELETE' }),
    onDeleted: () => {
      void refresh();
      setReleasedTo(null);
      notice.say(t('email.quarantine.deleted'));
    },
    title: t('email.quarantine.deleteTitle'),
    message: (row) => t('email.quarantine.deleteMessage', { subject: subjectOf(row) }),
  });

  return (
    <section aria-labelledby="email-quarantine-title">
      <SectionHead
        level={3}
        id="email-quarantine-title"
        title={t('email.quarantine.title')}
        intro={t('email.quarantine.intro')}
        action={
          <button type="button" onClick={() => void refresh()} disabled={held.isFetching}>
            {t('email.refresh')}
          </button>
        }
      />
      {notice.element}
      {releasedTo && (
        <p className="email-released">
          <Link href={`/tickets/${releasedTo}`}>{t('email.quarantine.openTicket')}</Link>
        </p>
      )}
      <AdminList
        error={held.error}
        data={held.data}
        empty={t('email.quarantine.none')}
        columns={[
          t('email.quarantine.reason'),
          t('email.quarantine.from'),
          t('email.quarantine.subject'),
          { label: t('email.quarantine.size'), className: 'adm-num' },
          t('email.quarantine.received'),
        ]}
      >
        {(row) => (
          <tr key={row.id}>
            <td className="email-reason">{row.reason ?? ''}</td>
            <td
              className={row.fromAddress ? 'adm-clip email-from' : 'muted'}
              title={row.fromAddress ?? undefined}
            >
              {row.fromAddress ?? t('email.quarantine.noSender')}
            </td>
            <td className="adm-clip adm-wide-cell" title={subjectOf(row)}>
              {subjectOf(row)}
            </td>
            <td className="adm-num email-nowrap">{fileSize(row.size)}</td>
            <td className="email-nowrap" title={fullDate(row.createdAt)}>
              {ago(row.createdAt)}
            </td>
            <RowActions
              subject={subjectOf(row)}
              onDelete={() => {
                notice.clear();
                remove.ask(row);
              }}
            >
              <a
                className="button-link"
                href={`/api/v1/channels/email/quarantine/${row.id}/raw`}
                download={`${row.id}.eml`}
                aria-label={`${t('email.quarantine.download')}: ${subjectOf(row)}`}
              >
                {t('email.quarantine.download')}
              </a>
              <RowButton
                label={t('email.quarantine.release')}
                subject={subjectOf(row)}
                disabled={release.isPending && release.variables.id === row.id}
                onClick={() => {
                  notice.clear();
                  setReleasedTo(null);
                  release.mutate(row);
                }}
              />
            </RowActions>
          </tr>
        )}
      </AdminList>
      {remove.dialog}
    </section>
  );
}
