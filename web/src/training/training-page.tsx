import type { ReactNode } from 'react';
import { Link } from 'wouter';
import type { Me } from '../api/types.ts';
import { useMe } from '../auth/session.ts';
import { type MessageKey, t } from '../i18n/i18n.ts';
import { PracticeHome } from './practice-home.tsx';
import { QaCalibration } from './qa-calibration.tsx';
import { QaReviews } from './qa-review.tsx';
import { SessionView } from './session-view.tsx';
import { TeamHealthView } from './team-health-view.tsx';
import './training.css';

type Tab = { label: MessageKey; leadOnly: boolean; render: (me: Me) => ReactNode };

/** The page's tabs by path segment; any other segment is a practice session's id. */
const tabs: Record<string, Tab> = {
  '': { label: 'training.tab.practice', leadOnly: false, render: (me) => <PracticeHome me={me} /> },
  qa: { label: 'training.tab.qa', leadOnly: false, render: (me) => <QaReviews me={me} /> },
  calibration: { label: 'training.tab.calibration', leadOnly: true, render: () => <QaCalibration /> },
  team: { label: 'training.tab.team', leadOnly: true, render: () => <TeamHealthView /> },
};

/** Training and quality: role-play practice, QA reviews, calibration and team health. */
export default function TrainingPage({ id }: { id?: string | undefined }) {
  const me = useMe().data;
  if (!me) return <p className="loading">{t('common.loading')}</p>;
  const lead = me.user.role === 'admin';
  const current = id ?? '';
  const tab = tabs[current];
  const visible = Object.entries(tabs).filter(([, x]) => lead || !x.leadOnly);
  return (
    <main className="training-page">
      <h1>{t('training.title')}</h1>
      <nav className="training-tabs" aria-label={t('training.tabs')}>
        {visible.map(([key, x]) => (
          <Link
            key={key}
            href={key ? `/training/${key}` : '/training'}
            aria-current={key === current ? 'page' : undefined}
          >
            {t(x.label)}
          </Link>
        ))}
      </nav>
      {tab && (lead || !tab.leadOnly) ? tab.render(me) : <SessionView id={current} />}
    </main>
  );
}
