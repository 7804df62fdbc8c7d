import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api } from '../api/client.ts';
import type { Me } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';

type Prefs = { ticketAssigned: boolean; customerReplied: boolean; weeklySummary: boolean };
// Not under ['me']: that key survives a sign-out, and these are one person's.
const prefsKey = ['email-notifications'] as const;
const toggles = ['ticketAssigned', 'customerReplied'] as const;
// Only admins get the Monday summary, so only they see its switch.
const adminToggles = [...toggles, 'weeklySummary'] as const;

/** The signed-in user's own email notifications: each toggle saves as soon as it changes. */
export function EmailNotifications({ me }: { me: Me }) {
  const client = useQueryClient();
  const titleId = useId();
  const prefs = useQuery({ queryKey: prefsKey, queryFn: () => api<Prefs>('/me/email-notifications') });
  const save = useMutation({
    mutationFn: (body: Prefs) => api<Prefs>('/me/email-notifications', { method: 'PUT', body }),
    onSuccess: (saved) => client.setQueryData(prefsKey, saved),
  });
  // Set in the same render as the click: a controlled checkbox must not flip back while the save starts.
  const [draft, setDraft] = useState<Prefs | null>(null);
  const current = draft ?? prefs.data;
  const change = (next: Prefs) => {
    setDraft(next);
    save.mutate(next, { onSettled: () => setDraft(null) });
  };
  return (
    <section className="stack" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('notifications.title')}</h2>
      <p className="muted">{t('notifications.intro', { email: me.user.email })}</p>
      {prefs.error && <p role="alert">{t('common.error', { detail: prefs.error.message })}</p>}
      {current &&
        (me.user.role === 'admin' ? adminToggles : toggles).map((key) => (
          <label key={key} className="settings-check">
            <input
              type="checkbox"
              checked={current[key]}
              disabled={save.isPending}
              onChange={(event) => change({ ...current, [key]: event.target.checked })}
            />
            {t(`notifications.${key}`)}
          </label>
        ))}
      <p role="status">{save.isSuccess ? t('notifications.saved') : ''}</p>
      <p role="alert" className="error">
        {save.error?.message ?? ''}
      </p>
    </section>
  );
}
