import { type FormEvent, useId } from 'react';
import { t } from '../i18n/i18n.ts';
import { useLogin } from './session.ts';

export function LoginPage() {
  const login = useLogin();
  const emailId = useId();
  const passwordId = useId();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    login.mutate({ email: String(form.get('email')), password: String(form.get('password')) });
  };
  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">{t('auth.title')}</h1>
        <label htmlFor={emailId}>{t('auth.email')}</label>
        <input id={emailId} name="email" type="email" autoComplete="username" required />
        <label htmlFor={passwordId}>{t('auth.password')}</label>
        <input id={passwordId} name="password" type="password" autoComplete="current-password" required />
        <button type="submit" className="primary" disabled={login.isPending}>
          {t('auth.signIn')}
        </button>
        <p role="alert" className="error">
          {login.error?.message ?? ''}
        </p>
      </form>
    </main>
  );
}
