import { t } from '../i18n/i18n.ts';
import { SurveyCampaigns } from './survey-campaigns.tsx';
import { ThemeManager } from './theme-manager.tsx';
import './feedback.css';

/** Admin → Feedback: NPS/CES campaigns with their statistics, and the feedback themes. */
export default function FeedbackSection() {
  return (
    <section aria-labelledby="feedback-title" className="stack">
      <h2 id="feedback-title">{t('admin.nav.feedback')}</h2>
      <SurveyCampaigns />
      <ThemeManager />
    </section>
  );
}
