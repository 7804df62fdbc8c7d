import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { Link } from 'wouter';
import { api } from '../api/client.ts';
import type { Me } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { useCounts } from '../inbox/views.ts';
import type { DemoSeedResult, Onboarding } from './admin-types.ts';

const hiddenKey = (workspaceId: string) => `rapport.onboarding.hidden.${workspaceId}`;

function Step({ done, title, children }: { done: boolean; title: string; children: ReactNode }) {
  return (
    <li className={done ? 'adm-step adm-done' : 'adm-step'}>
      <span className="adm-step-mark" aria-hidden="true">
        {done ? '✓' : '○'}
      </span>
      <div>
        <strong>{title}</strong>
        {done && <span className="visually-hidden"> ({t('onboarding.done')})</span>}
        <div className="adm-step-body">{children}</div>
      </div>
    </li>
  );
}

/**
 * The first admin's welcome in an empty workspace: what to set up, and one click to a living demo
 * helpdesk. Shows nothing once the workspace has tickets, to agents, or after it is hidden.
 */
export function OnboardingCard({ me }: { me: Me }) {
  const client = useQueryClient();
  const admin = me.user.role === 'admin';
  const [hidden, setHidden] = useState(() => localStorage.getItem(hiddenKey(me.workspace.id)) === '1');
  const onboarding = useQuery({
    queryKey: ['onboarding'],
    queryFn: () => api<Onboarding>('/onboarding'),
    enabled: admin && !hidden,
    staleTime: 60_000,
  });
  // The live counts see the first real ticket arrive before this answer would go stale.
  const { data: counts } = useCounts();
  const hasTickets = counts ? Object.values(counts.byStatus).some((count) => count > 0) : false;
  const seed = useMutation({
    mutationFn: () => api<DemoSeedResult>('/demo/seed', { method: 'POST' }),
    // Everything cached described an empty workspace.
    onSuccess: () => void client.invalidateQueries(),
  });
  const hide = () => {
    localStorage.setItem(hiddenKey(me.workspace.id), '1');
    setHidden(true);
  };

  if (seed.data)
    return (
      <section className="onboarding" aria-labelledby="onboarding-title">
        <h2 id="onboarding-title">{t('onboarding.loadedTitle')}</h2>
        <p role="status">
          {t('onboarding.loaded', {
            tickets: seed.data.tickets,
            customers: seed.data.customers,
            teams: seed.data.teams,
          })}
        </p>
        {seed.data.agents[0] && (
          <p>
            {t('onboarding.demoAgents', {
              count: seed.data.agents.length,
              email: seed.data.agents[0].email,
            })}{' '}
            <code>{seed.data.password}</code>
          </p>
        )}
        <button type="button" onClick={() => seed.reset()}>
          {t('common.close')}
        </button>
      </section>
    );
  if (!admin || hidden || hasTickets || !onboarding.data?.empty) return null;
  const done = (key: Onboarding['checklist'][number]['key']) =>
    onboarding.data.checklist.find((item) => item.key === key)?.done ?? false;
  return (
    <section className="onboarding" aria-labelledby="onboarding-title" aria-busy={seed.isPending}>
      <div className="onboarding-head">
        <h2 id="onboarding-title">{t('onboarding.title', { name: me.user.name.split(' ')[0] ?? '' })}</h2>
        <button type="button" className="adm-link-button" onClick={hide}>
          {t('onboarding.hide')}
        </button>
      </div>
      <p className="muted">{t('onboarding.intro')}</p>
      <ol className="adm-steps">
        <Step done={done('channel')} title={t('onboarding.channel')}>
          {t('onboarding.channelText')} <Link href="/admin/email">{t('onboarding.emailLink')}</Link> ·{' '}
          <a href="/api/v1/openapi.json" target="_blank" rel="noreferrer">
            {t('onboarding.apiDocs')}
          </a>
        </Step>
        <Step done={done('agents')} title={t('onboarding.agents')}>
          {t('onboarding.agentsText')} <Link href="/admin/users">{t('onboarding.agentsLink')}</Link>
        </Step>
        <Step done={done('demo')} title={t('onboarding.demo')}>
          {t('onboarding.demoText')}{' '}
          <button type="button" className="primary" onClick={() => seed.mutate()} disabled={seed.isPending}>
            {seed.isPending ? t('onboarding.loading') : t('onboarding.demoButton')}
          </button>
        </Step>
      </ol>
      <p role="status" className="visually-hidden">
        {seed.isPending ? t('onboarding.loading') : ''}
      </p>
      <p role="alert" className="error">
        {seed.error?.message ?? ''}
      </p>
    </section>
  );
}
