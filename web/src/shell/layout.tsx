import { type FormEvent, type ReactNode, useRef } from 'react';
import { Link, useLocation } from 'wouter';
import type { Me } from '../api/types.ts';
import { useLogout } from '../auth/session.ts';
import { t } from '../i18n/i18n.ts';
import { type BuiltInView, builtInViews, countFor, useCounts, useSavedViews } from '../inbox/views.ts';
import { ShortcutHelp } from '../keyboard/shortcut-help.tsx';
import { useShortcut } from '../keyboard/shortcuts.ts';
import { useStreamConnected } from '../realtime/stream.ts';
import { useTeams } from './directory.ts';

function NavLink({ href, label, count }: { href: string; label: string; count?: number | undefined }) {
  const [location] = useLocation();
  const current = location === href;
  return (
    <li>
      <Link
        href={href}
        className={current ? 'nav-link current' : 'nav-link'}
        aria-current={current ? 'page' : undefined}
      >
        <span>{label}</span>
        {count !== undefined && <span className="count">{count}</span>}
      </Link>
    </li>
  );
}

function Sidebar({ me }: { me: Me }) {
  const { data: counts } = useCounts();
  const { data: teams } = useTeams();
  const { data: saved } = useSavedViews();
  return (
    <nav className="sidebar" aria-label={t('nav.views')}>
      <div className="brand">{me.workspace.name}</div>
      <ul>
        {(Object.keys(builtInViews) as BuiltInView[]).map((view) => (
          <NavLink
            key={view}
            href={`/inbox/${view}`}
            label={t(builtInViews[view].label)}
            count={countFor(view, counts)}
          />
        ))}
      </ul>
      {teams && teams.length > 0 && (
        <>
          <h2 className="nav-heading">{t('nav.teams')}</h2>
          <ul>
            {teams.map((team) => (
              <NavLink
                key={team.id}
                href={`/inbox/team/${team.id}`}
                label={team.name}
                count={counts?.byTeam[team.id] ?? 0}
              />
            ))}
          </ul>
        </>
      )}
      {saved && saved.length > 0 && (
        <>
          <h2 className="nav-heading">{t('nav.savedViews')}</h2>
          <ul>
            {saved.map((view) => (
              <NavLink key={view.id} href={`/inbox/saved/${view.id}`} label={view.name} count={view.count} />
            ))}
          </ul>
        </>
      )}
      <ul className="nav-bottom">
        <NavLink href="/training" label={t('nav.training')} />
        <NavLink href="/kb" label={t('nav.kb')} />
        <NavLink href="/callbacks" label={t('nav.callbacks')} />
        {me.user.role !== 'light' && <NavLink href="/customers/duplicates" label={t('nav.duplicates')} />}
        {me.user.role === 'admin' && <NavLink href="/reports" label={t('nav.reports')} />}
        <NavLink href="/admin" label={me.user.role === 'admin' ? t('nav.admin') : t('admin.personalTitle')} />
      </ul>
    </nav>
  );
}

function TopBar({ me }: { me: Me }) {
  const [, navigate] = useLocation();
  const search = useRef<HTMLInputElement>(null);
  const live = useStreamConnected();
  const logout = useLogout();
  useShortcut('/', 'shortcuts.search', () => search.current?.focus());
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const q = new FormData(event.currentTarget).get('q');
    if (q) navigate(`/search?q=${encodeURIComponent(String(q))}`);
  };
  return (
    <header className="topbar">
      <search className="search-form">
        <form onSubmit={submit}>
          <label htmlFor="global-search" className="visually-hidden">
            {t('search.label')}
          </label>
          <input
            ref={search}
            id="global-search"
            name="q"
            type="search"
            placeholder={t('search.placeholder')}
          />
        </form>
      </search>
      <span className={live ? 'live on' : 'live'} role="status">
        {live ? t('live.connected') : t('live.reconnecting')}
      </span>
      <span className="who">{t('auth.signedInAs', { name: me.user.name })}</span>
      <Link href="/settings" className="button-link">
        {t('auth.myAccount')}
      </Link>
      <button type="button" onClick={() => logout.mutate()}>
        {t('auth.signOut')}
      </button>
    </header>
  );
}

export function Layout({ me, children }: { me: Me; children: ReactNode }) {
  const [, navigate] = useLocation();
  useShortcut('g', 'shortcuts.inbox', () => navigate('/inbox/unassigned'));
  return (
    <div className="layout">
      <a href="#main" className="skip-link">
        {t('nav.skipToContent')}
      </a>
      <Sidebar me={me} />
      <div className="workspace">
        <TopBar me={me} />
        <main id="main" tabIndex={-1}>
          {children}
        </main>
      </div>
      <ShortcutHelp />
    </div>
  );
}
