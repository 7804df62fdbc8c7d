import type { UseMutationResult } from '@tanstack/react-query';
import type { ApiError } from '../api/client.ts';
import type { Priority, Ticket, TicketStatus } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { useMembers, useTeams } from '../shell/directory.ts';
import { CustomFields } from './custom-fields.tsx';
import { TagEditor } from './tag-editor.tsx';
import { type TicketPatch, useTicketFields } from './ticket-api.ts';
import { priorities, statuses } from './ticket-format.ts';

export type UpdateTicket = UseMutationResult<Ticket, ApiError, TicketPatch, { before: Ticket | undefined }>;

/** "new" is only where a ticket starts, and only a solved ticket may close. */
function statusChoices(current: TicketStatus): TicketStatus[] {
  return statuses.filter(
    (status) => status === current || (status !== 'new' && (status !== 'closed' || current === 'solved')),
  );
}

function Problem({ error }: { error: ApiError }) {
  return (
    <div role="alert" className="error problem">
      {t('common.error', { detail: error.problem.detail || error.message })}
      {error.problem.errors && (
        <ul>
          {error.problem.errors.map((issue) => (
            <li key={issue.path}>
              {issue.path}: {issue.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Status, priority, assignee, team, tags and custom fields; each change is saved at once. */
export function PropertiesPanel({ ticket, update }: { ticket: Ticket; update: UpdateTicket }) {
  const { data: members } = useMembers();
  const { data: teams } = useTeams();
  const { data: fields } = useTicketFields();
  const disabled = !ticket.permissions.update;
  const save = (patch: TicketPatch) => update.mutate(patch);
  const agents = members?.filter(
    (member) => (member.role !== 'light' && !member.disabled) || member.id === ticket.assigneeId,
  );
  return (
    <section className="panel properties" aria-labelledby="properties-title">
      <div className="panel-head">
        <h2 id="properties-title">{t('ticket.properties')}</h2>
        <span role="status" className="muted saving">
          {update.isPending ? t('ticket.saving') : ''}
        </span>
      </div>
      {update.error && <Problem error={update.error} />}
      <div className="field">
        <label htmlFor="ticket-status">{t('inbox.status')}</label>
        <select
          id="ticket-status"
          value={ticket.status}
          disabled={disabled}
          onChange={(event) => save({ status: event.target.value as TicketStatus })}
        >
          {statusChoices(ticket.status).map((status) => (
            <option key={status} value={status} disabled={status === 'new'}>
              {t(`status.${status}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="ticket-priority">{t('inbox.priority')}</label>
        <select
          id="ticket-priority"
          value={ticket.priority}
          disabled={disabled}
          onChange={(event) => save({ priority: event.target.value as Priority })}
        >
          {priorities.map((priority) => (
            <option key={priority} value={priority}>
              {t(`priority.${priority}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="ticket-assignee">{t('inbox.assignee')}</label>
        <select
          id="ticket-assignee"
          value={ticket.assigneeId ?? ''}
          disabled={disabled}
          onChange={(event) => save({ assigneeId: event.target.value || null })}
        >
          <option value="">{t('inbox.unassignedName')}</option>
          {agents?.map((member) => (
            <option key={member.id} value={member.id}>
              {member.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="ticket-team">{t('ticket.team')}</label>
        <select
          id="ticket-team"
          value={ticket.teamId ?? ''}
          disabled={disabled}
          onChange={(event) => save({ teamId: event.target.value || null })}
        >
          <option value="">{t('common.none')}</option>
          {teams?.map((team) => (
            <option key={team.id} value={team.id}>
              {team.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <span className="field-label" id="ticket-tags-label">
          {t('ticket.tags')}
        </span>
        <TagEditor
          tags={ticket.tags}
          disabled={disabled}
          onAdd={(tag) => save({ addTags: [tag] })}
          onRemove={(tag) => save({ removeTags: [tag] })}
        />
      </div>
      <CustomFields
        fields={fields ?? []}
        values={ticket.customFields}
        disabled={disabled}
        onSave={(key, value) => save({ customFields: { [key]: value } })}
      />
    </section>
  );
}
