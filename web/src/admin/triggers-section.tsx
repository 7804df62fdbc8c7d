import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import { RowButton, SectionHead, useNotice } from './admin-kit.tsx';
import { AdminList, EditorModal, RowActions, useConfirmedDelete } from './admin-list.tsx';
import type { Trigger } from './automation-types.ts';
import { TriggerDryRun } from './trigger-dry-run.tsx';
import { TriggerForm } from './trigger-form.tsx';

type TriggerList = { data: Trigger[] };

/** The new order after moving the trigger at `index` one place by `step` (-1 up, +1 down). */
function moved(triggers: Trigger[], index: number, step: -1 | 1): string[] {
  const ids = triggers.map((trigger) => trigger.id);
  const other = index + step;
  [ids[index], ids[other]] = [ids[other]!, ids[index]!];
  return ids;
}

/** Admins' triggers in the order they run: switch on and off, reorder, edit, try on recent tickets. */
export function TriggersSection() {
  const client = useQueryClient();
  const notice = useNotice();
  const triggers = useQuery({
    queryKey: ['triggers'],
    queryFn: () => api<TriggerList>('/admin/triggers'),
    select: (r) => r.data,
  });
  const [editing, setEditing] = useState<Trigger | 'new' | null>(null);
  const [trying, setTrying] = useState<Trigger | null>(null);
  const toggle = useMutation({
    mutationFn: (trigger: Trigger) =>
      api<Trigger>(`/admin/triggers/${trigger.id}`, { method: 'PATCH', body: { active: !trigger.active } }),
    // The switch moves at once; a refusal puts the server's state back.
    onMutate: (trigger) =>
      client.setQueryData<TriggerList>(
        ['triggers'],
        (list) =>
          list && {
            data: list.data.map((row) => (row.id === trigger.id ? { ...row, active: !trigger.active } : row)),
          },
      ),
    onSuccess: (saved) =>
      notice.say(t(saved.active ? 'automation.trigger.on' : 'automation.trigger.off', { name: saved.name })),
    onError: notice.fail,
    onSettled: () => client.invalidateQueries({ queryKey: ['triggers'] }),
  });
  const reorder = useMutation({
    mutationFn: (move: { ids: string[]; name: string }) =>
      api<TriggerList>('/admin/triggers/order', { method: 'PUT', body: { ids: move.ids } }),
    onSuccess: (list, move) => {
      client.setQueryData(['triggers'], list);
      const place = list.data.findIndex((trigger) => trigger.name === move.name) + 1;
      notice.say(t('automation.trigger.moved', { name: move.name, place }));
    },
    onError: (error) => {
      // Someone else changed the list meanwhile: show theirs, then say why nothing moved.
      void client.invalidateQueries({ queryKey: ['triggers'] });
      notice.fail(error);
    },
  });
  const remove = useConfirmedDelete({
    remove: (trigger: Trigger) => api<void>(`/admin/triggers/${trigger.id}`, { method: 'DELETE' }),
    onDeleted: (trigger) => {
      void client.invalidateQueries({ queryKey: ['triggers'] });
      notice.say(t('automation.trigger.deleted', { name: trigger.name }));
    },
    title: t('automation.trigger.deleteTitle'),
    message: (trigger) => t('automation.trigger.deleteMessage', { name: trigger.name }),
  });
  const list = triggers.data ?? [];
  const move = (index: number, step: -1 | 1) =>
    reorder.mutate({ ids: moved(list, index, step), name: list[index]!.name });

  return (
    <section aria-labelledby="triggers-title">
      <SectionHead
        id="triggers-title"
        title={t('admin.nav.triggers')}
        intro={t('automation.triggers.intro')}
        action={
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            {t('automation.trigger.create')}
          </button>
        }
      />
      {notice.element}
      <AdminList
        error={triggers.error}
        data={triggers.data}
        empty={t('automation.triggers.none')}
        columns={[
          { label: t('automation.trigger.order'), className: 'adm-num' },
          t('automation.trigger.name'),
          t('automation.trigger.events'),
          t('automation.trigger.active'),
        ]}
      >
        {(trigger) => {
          const index = list.indexOf(trigger);
          return (
            <tr key={trigger.id}>
              <td className="adm-num">{index + 1}</td>
              <td className="adm-strong">{trigger.name}</td>
              <td className="muted">
                {trigger.events
                  .map((event) => t(`automation.event.${event}` as 'automation.event.ticket.created'))
                  .join(', ')}
              </td>
              <td>
                <label className="adm-check">
                  <input
                    type="checkbox"
                    role="switch"
                    aria-checked={trigger.active}
                    aria-label={`${t('automation.trigger.active')}: ${trigger.name}`}
                    checked={trigger.active}
                    disabled={toggle.isPending && toggle.variables.id === trigger.id}
                    onChange={() => toggle.mutate(trigger)}
                  />
                  {trigger.active ? t('automation.trigger.onState') : t('automation.trigger.offState')}
                </label>
              </td>
              <RowActions
                subject={trigger.name}
                onEdit={() => setEditing(trigger)}
                onDelete={() => remove.ask(trigger)}
              >
                <RowButton
                  label={t('automation.trigger.up')}
                  subject={trigger.name}
                  disabled={index === 0 || reorder.isPending}
                  onClick={() => move(index, -1)}
                />
                <RowButton
                  label={t('automation.trigger.down')}
                  subject={trigger.name}
                  disabled={index === list.length - 1 || reorder.isPending}
                  onClick={() => move(index, 1)}
                />
                <RowButton
                  label={t('automation.trigger.dryRun')}
                  subject={trigger.name}
                  onClick={() => setTrying(trigger)}
                />
              </RowActions>
            </tr>
          );
        }}
      </AdminList>
      <EditorModal
        editing={editing}
        createTitle={t('automation.trigger.create')}
        editTitle={t('automation.trigger.edit')}
        onClose={() => setEditing(null)}
        wide
      >
        {(row) => (
          <TriggerForm
            trigger={row}
            nextPosition={Math.max(-1, ...list.map((trigger) => trigger.position)) + 1}
            onSaved={(saved) => {
              notice.say(
                t(row ? 'automation.trigger.saved' : 'automation.trigger.created', { name: saved.name }),
              );
              setEditing(null);
            }}
          />
        )}
      </EditorModal>
      <TriggerDryRun trigger={trying} onClose={() => setTrying(null)} />
      {remove.dialog}
    </section>
  );
}
