import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { Me } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { SectionHead } from './admin-kit.tsx';
import { EmailAddresses } from './email-addresses.tsx';
import { EmailMailboxes } from './email-mailboxes.tsx';
import { EmailQuarantine } from './email-quarantine.tsx';
import { EmailRelay } from './email-relay.tsx';
import type { EmailStats } from './email-types.ts';
import './email-admin.css';

const figures = ['received', 'stored', 'duplicates', 'quarantined'] as const;

/** The intake's tallies: how much mail came in, and what became of it. */
function StatsFigures() {
  const stats = useQuery({
    queryKey: ['email', 'stats'],
    queryFn: () => api<EmailStats>('/channels/email/stats'),
  });
  if (stats.error) return <p role="alert">{t('common.error', { detail: stats.error.message })}</p>;
  return (
    <dl className="email-figures" aria-label={t('email.stats.title')}>
      {figures.map((key) => (
        <div
          key={key}
          className={key === 'quarantined' && stats.data?.quarantined ? 'email-figure warn' : 'email-figure'}
        >
          <dt>{t(`email.stats.${key}`)}</dt>
          <dd>{stats.data ? stats.data[key].toLocaleString() : '…'}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Everything about the email channel an admin sets up and watches, on one page. */
export default function EmailSection({ me }: { me: Me }) {
  return (
    <section aria-labelledby="email-title" className="email-section">
      <SectionHead id="email-title" title={t('admin.nav.email')} intro={t('email.intro')} />
      <StatsFigures />
      <EmailAddresses />
      <EmailRelay me={me} />
      <EmailMailboxes />
      <EmailQuarantine />
    </section>
  );
}
