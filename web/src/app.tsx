import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect } from 'react';
import { Redirect, Route, Switch } from 'wouter';
import { LoginPage } from './auth/login-page.tsx';
import { useMe } from './auth/session.ts';
import { t } from './i18n/i18n.ts';
import { InboxPage } from './inbox/inbox-page.tsx';
import { connectLiveQueries } from './realtime/live-queries.ts';
import { startStream, stopStream } from './realtime/stream.ts';
import { Layout } from './shell/layout.tsx';

// Pages an agent opens less often load on demand, keeping the first load small.
const TicketPage = lazy(() => import('./ticket/ticket-page.tsx'));
const SearchPage = lazy(() => import('./search/search-page.tsx'));
const AdminPage = lazy(() => import('./admin/admin-page.tsx'));
const SettingsPage = lazy(() => import('./auth/settings-page.tsx'));
const DashboardPage = lazy(() => import('./reports/dashboard-page.tsx'));
const TrainingPage = lazy(() => import('./training/training-page.tsx'));
const KbPage = lazy(() => import('./kb/kb-page.tsx'));
const CallbacksPage = lazy(() => import('./phone/callbacks-page.tsx'));
const CustomerPage = lazy(() => import('./customers/customer-page.tsx'));
const DuplicatesPage = lazy(() => import('./customers/duplicates-page.tsx'));

export function App() {
  const me = useMe();
  const client = useQueryClient();
  const signedIn = Boolean(me.data);
  useEffect(() => {
    if (!signedIn) return;
    startStream();
    const disconnect = connectLiveQueries(client);
    return () => {
      disconnect();
      stopStream();
    };
  }, [signedIn, client]);

  if (me.isPending) return <p className="loading">{t('common.loading')}</p>;
  if (me.error) return <p role="alert">{t('common.error', { detail: me.error.message })}</p>;
  if (!me.data) return <LoginPage />;
  return (
    <Layout me={me.data}>
      <Suspense fallback={<p className="loading">{t('common.loading')}</p>}>
        <Switch>
          <Route path="/inbox/saved/:id">
            {(params) => <InboxPage view={{ saved: params.id }} me={me.data!} />}
          </Route>
          <Route path="/inbox/team/:id">
            {(params) => <InboxPage view={{ team: params.id }} me={me.data!} />}
          </Route>
          <Route path="/inbox/:view">
            {(params) => <InboxPage view={{ builtIn: params.view }} me={me.data!} />}
          </Route>
          <Route path="/tickets/:id">{(params) => <TicketPage id={params.id} me={me.data!} />}</Route>
          <Route path="/search" component={SearchPage} />
          <Route path="/admin/:section?">
            {(params) => <AdminPage section={params.section} me={me.data!} />}
          </Route>
          <Route path="/settings" component={SettingsPage} />
          <Route path="/training/:id?">{(params) => <TrainingPage id={params.id} />}</Route>
          <Route path="/reports" component={DashboardPage} />
          <Route path="/kb/:id?">{(params) => <KbPage id={params.id} />}</Route>
          <Route path="/callbacks" component={CallbacksPage} />
          <Route path="/customers/duplicates" component={DuplicatesPage} />
          <Route path="/customers/:id">{(params) => <CustomerPage id={params.id} me={me.data!} />}</Route>
          <Route>
            <Redirect to="/inbox/unassigned" replace />
          </Route>
        </Switch>
      </Suspense>
    </Layout>
  );
}
