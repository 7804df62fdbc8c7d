import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useId } from 'react';
import { api } from '../api/client.ts';
import { t } from '../i18n/i18n.ts';
import { EmailNotifications } from './email-notifications.tsx';
import { useMe } from './session.ts';
import './settings-page.css';

function ChangePassword() {
  const titleId = useId();
  const currentId = useId();
  const nextId = useId();
  const change = useMutation({
    mutationFn: (body: { current: string; next: string }) => api<void>('/me/password', { body }),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    change.mutate(
      { current: String(form.get('current')), next: String(form.get('next')) },
      { onSuccess: () => (event.target as HTMLFormElement).reset() },
    );
  };
  return (
    <section aria-labelledby={titleId}>
      <h2 id={titleId}>{t('auth.changePassword')}</h2>
      <form onSubmit={submit} className="stack">
        <label htmlFor={currentId}>{t('auth.currentPassword')}</label>
        <input id={currentId} name="current" type="password" autoComplete="current-password" required />
        <label htmlFor={nextId}>{t('auth.newPassword')}</label>
        <input id={nextId} name="next" type="password" autoComplete="new-password" minLength={10} required />
        <button type="submit" className="primary" disabled={change.isPending}>
          {t('common.save')}
        </button>
        <p role="status">{change.isSuccess ? t('auth.passwordChanged') : ''}</p>
        <p role="alert" className="error">
          {change.error?.message ?? ''}
        </p>
      </form>
    </section>
  );
}

/** The signed-in person's own settings: which emails Rapport sends them, and their password. */
export default function SettingsPage() {
  const { data: me } = useMe();
  return (
    <div className="page narrow settings-page">
      <h1>{t('auth.myAccount')}</h1>
      {me && <EmailNotifications me={me} />}
      <ChangePassword />
    </div>
  );
}
