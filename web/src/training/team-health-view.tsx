import { useQuery } from '@tanstack/react-query';
import type { AgentHealth } from '../../../src/training/team-health.ts';
import { api } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';

type TeamHealth = {
  from: string;
  to: string;
  timeZone: string;
  team: { medianOpenTickets: number; replies: number; afterHoursShare: number };
  agents: AgentHealth[];
};

const percent = (share: number) => `${Math.round(share * 100)}%`;

/** Replies per week as a row of bars, tallest the busiest week. */
function WeeklyBars({ weekly, name }: { weekly: AgentHealth['weekly']; name: string }) {
  const top = Math.max(1, ...weekly.map((w) => w.replies));
  return (
    <span className="weekly-bars" role="img" aria-label={t('teamHealth.weekly', { name })}>
      {weekly.map((w) => (
        <span
          key={w.week}
          className="bar"
          title={t('teamHealth.week', { week: w.week, replies: w.replies })}
          style={{ height: `${Math.max(2, (24 * w.replies) / top)}px` }}
        />
      ))}
    </span>
  );
}

function trendText(trend: number | null) {
  if (trend === null) return '–';
  return trend > 0 ? `+${trend}%` : `${trend}%`;
}

/** Team health for leads: workload, replies per day, after-hours and difficult shares, trends and flags. */
export function TeamHealthView() {
  const report = useQuery({
    queryKey: ['team-health'],
    queryFn: () => api<TeamHealth>('/team-health'),
  });
  if (report.error) return <p role="alert">{t('common.error', { detail: report.error.message })}</p>;
  if (!report.data) return <p className="loading">{t('common.loading')}</p>;
  const { team, agents, from, to, timeZone } = report.data;
  return (
    <div className="team-health">
      <p className="muted">
        {t('teamHealth.window', {
          from: new Date(from).toLocaleDateString(),
          to: new Date(to).toLocaleDateString(),
          zone: timeZone,
        })}
      </p>
      <p role="status">
        {t('teamHealth.team', {
          median: team.medianOpenTickets,
          replies: team.replies,
          afterHours: percent(team.afterHoursShare),
        })}
      </p>
      <table className="team-health-table" aria-label={t('teamHealth.title')}>
        <thead>
          <tr>
            <th>{t('teamHealth.agent')}</th>
            <th>{t('teamHealth.open')}</th>
            <th>{t('teamHealth.perDay')}</th>
            <th>{t('teamHealth.afterHours')}</th>
            <th>{t('teamHealth.difficult')}</th>
            <th>{t('teamHealth.trend')}</th>
            <th>{t('teamHealth.weeks')}</th>
            <th>{t('teamHealth.flags')}</th>
          </tr>
        </thead>
        <tbody>
          {agents.map((a) => (
            <tr key={a.agentId} className={a.overloaded ? 'overloaded' : undefined}>
              <th scope="row">{a.name}</th>
              <td>{a.openTickets}</td>
              <td>{a.repliesPerDay}</td>
              <td>{percent(a.afterHoursShare)}</td>
              <td>
                {percent(a.difficultShare)}{' '}
                <span className="muted">
                  {t('teamHealth.ofHandled', { difficult: a.difficultHandled, handled: a.ticketsHandled })}
                </span>
              </td>
              <td>{trendText(a.trend)}</td>
              <td>
                <WeeklyBars weekly={a.weekly} name={a.name} />
              </td>
              <td>{a.overloaded ? a.reasons.join('; ') : t('teamHealth.fine')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
