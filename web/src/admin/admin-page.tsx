import { type ComponentType, lazy, Suspense } from 'react';
import { Link, Redirect } from 'wouter';
import type { Me } from '../api/types.ts';
import { type MessageKey, t } from '../i18n/i18n.ts';
import { AuditSection } from './audit-section.tsx';
import { CannedSection } from './canned-section.tsx';
import { FieldsSection } from './fields-section.tsx';
import { JobsSection } from './jobs-section.tsx';
import { OutreachSection } from './outreach-section.tsx';
import { SlaSection } from './sla-section.tsx';
import { TagsSection } from './tags-section.tsx';
import { TeamsSection } from './teams-section.tsx';
import { TokensSection } from './tokens-section.tsx';
import { TriggersSection } from './triggers-section.tsx';
import { UsersSection } from './users-section.tsx';
import { ViewsSection } from './views-section.tsx';
import { WebhooksSection } from './webhooks-section.tsx';

// The email channel's page is large and visited rarely: it loads when opened.
const EmailSection = lazy(() => import('./email-section.tsx'));
const FeedbackSection = lazy(() => import('../feedback/feedback-section.tsx'));

type Section = { label: MessageKey; adminOnly: boolean; component: ComponentType<{ me: Me }> };

// Agents and light agents keep their own tokens, canned responses and views; the rest is the admins'.
const sections = {
  users: { label: 'admin.nav.users', adminOnly: true, component: UsersSection },
  teams: { label: 'admin.nav.teams', adminOnly: true, component: TeamsSection },
  tags: { label: 'admin.nav.tags', adminOnly: true, component: TagsSection },
  fields: { label: 'admin.nav.fields', adminOnly: true, component: FieldsSection },
  canned: { label: 'admin.nav.canned', adminOnly: false, component: CannedSection },
  views: { label: 'admin.nav.views', adminOnly: false, component: ViewsSection },
  tokens: { label: 'admin.nav.tokens', adminOnly: false, component: TokensSection },
  email: { label: 'admin.nav.email', adminOnly: true, component: EmailSection },
  triggers: { label: 'admin.nav.triggers', adminOnly: true, component: TriggersSection },
  sla: { label: 'admin.nav.sla', adminOnly: true, component: SlaSection },
  outreach: { label: 'admin.nav.outreach', adminOnly: true, component: OutreachSection },
  feedback: { label: 'admin.nav.feedback', adminOnly: true, component: FeedbackSection },
  webhooks: { label: 'admin.nav.webhooks', adminOnly: true, component: WebhooksSection },
  jobs: { label: 'admin.nav.jobs', adminOnly: true, component: JobsSection },
  audit: { label: 'admin.nav.audit', adminOnly: true, component: AuditSection },
} satisfies Record<string, Section>;
type SectionKey = keyof typeof sections;

export default function AdminPage({ section, me }: { section: string | undefined; me: Me }) {
  const admin = me.user.role === 'admin';
  const allowed = (Object.keys(sections) as SectionKey[]).filter((key) => admin || !sections[key].adminOnly);
  const current = allowed.find((key) => key === section);
  if (!current) return <Redirect to={`/admin/${allowed[0]}`} replace />;
  const Current = sections[current].component;
  return (
    <div className="admin">
      <nav className="admin-nav" aria-labelledby="admin-title">
        <h1 id="admin-title">{admin ? t('admin.title') : t('admin.personalTitle')}</h1>
        <ul>
          {allowed.map((key) => (
            <li key={key}>
              <Link
                href={`/admin/${key}`}
                className={key === current ? 'admin-link current' : 'admin-link'}
                aria-current={key === current ? 'page' : undefined}
              >
                {t(sections[key].label)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="admin-body">
        <Suspense fallback={<p className="loading">{t('common.loading')}</p>}>
          <Current key={current} me={me} />
        </Suspense>
      </div>
    </div>
  );
}
