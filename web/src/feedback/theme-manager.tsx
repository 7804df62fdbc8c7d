import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { RowButton, SectionHead, useNotice } from '../admin/admin-kit.tsx';
import { AdminList } from '../admin/admin-list.tsx';
import { api } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import type { Theme } from '../reports/kpi-types.ts';
import { ActionEffect, Sparkline } from '../reports/themes-panel.tsx';

const themesKey = ['feedback', 'themes'] as const;

/** The theme's improvement action with volume a week before and after, or a form to link one. */
function ActionCell({ theme, onSaved }: { theme: Theme; onSaved: (text: string) => void }) {
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: (body: { label: string; at: string } | null) =>
      api<Theme>(
        `/feedback/themes/${theme.id}/action`,
        body ? { method: 'PUT', body } : { method: 'DELETE' },
      ),
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: themesKey });
      onSaved(
        t(saved.action ? 'feedback.theme.actionLinked' : 'feedback.theme.actionRemoved', {
          label: saved.label,
        }),
      );
    },
  });
  if (theme.action)
    return (
      <td>
        <ActionEffect action={theme.action} />
        <RowButton
          label={t('feedback.theme.unlink')}
          subject={theme.label}
          onClick={() => save.mutate(null)}
        />
      </td>
    );
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    save.mutate({ label: String(form.get('label')), at: String(form.get('at')) });
  };
  return (
    <td>
      <form
        className="theme-inline"
        onSubmit={submit}
        aria-label={`${t('feedback.theme.link')}: ${theme.label}`}
      >
        <input
          name="label"
          required
          maxLength={200}
          placeholder={t('feedback.theme.actionLabel')}
          aria-label={t('feedback.theme.actionLabel')}
        />
        <input name="at" type="date" required aria-label={t('feedback.theme.actionDate')} />
        <button type="submit" disabled={save.isPending}>
          {t('feedback.theme.link')}
        </button>
        {save.error && <span role="alert">{save.error.message}</span>}
      </form>
    </td>
  );
}

/** The rise alert still open on a theme, and the button that acknowledges it. */
function AlertBadge({ theme, onSaved }: { theme: Theme; onSaved: (text: string) => void }) {
  const client = useQueryClient();
  const acknowledge = useMutation({
    mutationFn: () => api<Theme>(`/feedback/themes/${theme.id}/alert/acknowledge`, { method: 'POST' }),
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: themesKey });
      onSaved(t('feedback.theme.acknowledged', { label: saved.label }));
    },
  });
  return (
    <>
      <span className="badge-alert">{t('reports.themes.alert')}</span>{' '}
      <RowButton
        label={t('feedback.theme.acknowledge')}
        subject={theme.label}
        disabled={acknowledge.isPending}
        onClick={() => acknowledge.mutate()}
      />
    </>
  );
}

/** The theme's name, or a field to rename it in place. */
function LabelCell({ theme, onSaved }: { theme: Theme; onSaved: (text: string) => void }) {
  const client = useQueryClient();
  const [renaming, setRenaming] = useState(false);
  const rename = useMutation({
    mutationFn: (label: string) =>
      api<Theme>(`/feedback/themes/${theme.id}`, { method: 'PATCH', body: { label } }),
    onSuccess: (saved) => {
      setRenaming(false);
      void client.invalidateQueries({ queryKey: themesKey });
      onSaved(t('feedback.theme.renamed', { label: saved.label }));
    },
  });
  if (!renaming)
    return (
      <td>
        <span className="adm-strong">{theme.label}</span>{' '}
        {theme.alertOpen && <AlertBadge theme={theme} onSaved={onSaved} />}{' '}
        <RowButton
          label={t('feedback.theme.rename')}
          subject={theme.label}
          onClick={() => setRenaming(true)}
        />
      </td>
    );
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    rename.mutate(String(new FormData(event.currentTarget).get('label')));
  };
  return (
    <td>
      <form className="theme-inline" onSubmit={submit}>
        <input
          name="label"
          required
          maxLength={120}
          defaultValue={theme.label}
          aria-label={t('feedback.theme.newName', { label: theme.label })}
        />
        <button type="submit" className="primary" disabled={rename.isPending}>
          {t('common.save')}
        </button>
        <button type="button" onClick={() => setRenaming(false)}>
          {t('common.cancel')}
        </button>
        {rename.error && <span role="alert">{rename.error.message}</span>}
      </form>
    </td>
  );
}

/** Feedback themes for admins: size and weekly trend, renaming, and improvement actions with their effect. */
export function ThemeManager() {
  const notice = useNotice();
  const themes = useQuery({
    queryKey: themesKey,
    queryFn: ({ signal }) => api<{ data: Theme[] }>('/feedback/themes?weeks=8', { signal }),
    select: (r) => r.data,
  });
  return (
    <section aria-labelledby="theme-manager-title">
      <SectionHead
        id="theme-manager-title"
        level={3}
        title={t('reports.themes')}
        intro={t('feedback.themes.intro')}
      />
      {notice.element}
      <AdminList
        error={themes.error}
        data={themes.data}
        empty={t('reports.themes.none')}
        columns={[
          t('feedback.theme.label'),
          t('feedback.theme.size'),
          t('feedback.theme.trend'),
          t('feedback.theme.action'),
        ]}
      >
        {(theme) => (
          <tr key={theme.id} data-theme={theme.id}>
            <LabelCell theme={theme} onSaved={notice.say} />
            <td>{theme.size}</td>
            <td>
              <Sparkline trend={theme.trend} />{' '}
              <span className="muted">
                {t('feedback.theme.thisWeek', { count: theme.trend[theme.trend.length - 1]?.count ?? 0 })}
              </span>
            </td>
            <ActionCell theme={theme} onSaved={notice.say} />
          </tr>
        )}
      </AdminList>
    </section>
  );
}
