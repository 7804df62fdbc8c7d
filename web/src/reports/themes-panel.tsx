import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { api } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import type { Theme } from './kpi-types.ts';

/** A tiny bar per week: the theme's trend at a glance. */
export function Sparkline({ trend }: { trend: Theme['trend'] }) {
  const max = Math.max(1, ...trend.map((week) => week.count));
  return (
    <svg className="sparkline" width={trend.length * 8} height={24} aria-hidden="true">
      {trend.map((week, i) => {
        const height = Math.max(1, (week.count / max) * 22);
        return <rect key={week.weekStart} x={i * 8} y={24 - height} width={6} height={height} />;
      })}
    </svg>
  );
}

/** An improvement action and the theme's weekly volume before and after it. */
export function ActionEffect({ action }: { action: NonNullable<Theme['action']> }) {
  return (
    <p className="theme-action">
      {t('reports.themes.action', {
        label: action.label,
        date: action.at.slice(0, 10),
        before: action.beforePerWeek,
        after: action.afterPerWeek ?? '—',
      })}
    </p>
  );
}

/** Feedback themes: size, weekly trend, rise alerts, quotes and an action's before and after. */
export function ThemesPanel() {
  const themes = useQuery({
    queryKey: ['feedback', 'themes'],
    queryFn: ({ signal }) => api<{ data: Theme[] }>('/feedback/themes?weeks=8', { signal }),
  });
  return (
    <section aria-labelledby="kpi-themes">
      <h2 id="kpi-themes">{t('reports.themes')}</h2>
      <Link href="/admin/feedback" className="button-link">
        {t('reports.themes.manage')}
      </Link>
      {themes.data?.data.length === 0 && <p>{t('reports.themes.none')}</p>}
      <ul className="theme-list">
        {themes.data?.data.map((theme) => (
          <li key={theme.id}>
            <strong>{theme.label}</strong> <span>{t('reports.themes.size', { count: theme.size })}</span>{' '}
            {theme.alertOpen && <span className="badge-alert">{t('reports.themes.alert')}</span>}
            <Sparkline trend={theme.trend} />
            {theme.action && <ActionEffect action={theme.action} />}
            {theme.quotes[0] && <blockquote>{theme.quotes[0].body}</blockquote>}
          </li>
        ))}
      </ul>
    </section>
  );
}
