import { t } from '../i18n/i18n.ts';
import { useMembers, useTeams } from '../shell/directory.ts';
import type { Filters } from './kpi-types.ts';

const groupings = ['day', 'week', 'channel', 'team', 'agent', 'intent', 'tag', 'priority'] as const;
const channels = ['email', 'chat', 'web', 'api', 'phone', 'social'] as const;

/** The dashboard's filters; each change refetches the report. */
export function FilterBar({ filters, onChange }: { filters: Filters; onChange: (next: Filters) => void }) {
  const members = useMembers();
  const teams = useTeams();
  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => onChange({ ...filters, [key]: value });
  return (
    <form
      className="kpi-filters"
      aria-label={t('reports.filters')}
      onSubmit={(event) => event.preventDefault()}
    >
      <label>
        {t('reports.from')}
        <input type="date" value={filters.from} onChange={(e) => set('from', e.target.value)} />
      </label>
      <label>
        {t('reports.to')}
        <input type="date" value={filters.to} onChange={(e) => set('to', e.target.value)} />
      </label>
      <label>
        {t('reports.groupBy')}
        <select name="group_by" value={filters.group_by} onChange={(e) => set('group_by', e.target.value)}>
          {groupings.map((g) => (
            <option key={g}>{g}</option>
          ))}
        </select>
      </label>
      <label>
        {t('reports.time')}
        <select
          name="time"
          value={filters.time}
          onChange={(e) => set('time', e.target.value as Filters['time'])}
        >
          <option value="calendar">{t('reports.time.calendar')}</option>
          <option value="business">{t('reports.time.business')}</option>
        </select>
      </label>
      <label>
        {t('reports.channel')}
        <select name="channel" value={filters.channel} onChange={(e) => set('channel', e.target.value)}>
          <option value="">{t('reports.anyChannel')}</option>
          {channels.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </label>
      <label>
        {t('reports.team')}
        <select name="team" value={filters.team} onChange={(e) => set('team', e.target.value)}>
          <option value="">{t('reports.anyTeam')}</option>
          {teams.data?.map((team) => (
            <option key={team.id} value={team.id}>
              {team.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('reports.agent')}
        <select name="agent" value={filters.agent} onChange={(e) => set('agent', e.target.value)}>
          <option value="">{t('reports.anyAgent')}</option>
          {members.data
            ?.filter((member) => member.role !== 'light')
            .map((member) => (
              <option key={member.id} value={member.id}>
                {member.name}
              </option>
            ))}
        </select>
      </label>
      <label>
        {t('reports.tag')}
        <input value={filters.tag} onChange={(e) => set('tag', e.target.value)} maxLength={100} />
      </label>
      <label className="kpi-check">
        <input type="checkbox" checked={filters.compare} onChange={(e) => set('compare', e.target.checked)} />
        {t('reports.compare')}
      </label>
    </form>
  );
}
