import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client.ts';
import type { Me } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { ConfirmDialog, Field, FormProblem, fieldError, SectionHead, useNotice } from './admin-kit.tsx';
import { HostPortFields, PasswordField } from './email-kit.tsx';
import type { RelayTest, RelayView } from './email-types.ts';

type RelayInput = {
  host: string;
  port: number;
  secure: boolean;
  username: string | null;
  password?: string | null;
};
const relayKey = ['email', 'relay'] as const;

/** What "Send test" answered: the relay took it, or the SMTP server's refusal word for word. */
function TestOutcome({ result, email }: { result: RelayTest; email: string }) {
  const via = result.source === 'environment' ? ` ${t('email.relay.sourceEnvironment')}` : '';
  if (result.ok)
    return (
      <p role="status" className="email-test ok">
        {t('email.relay.testOk', { email })}
        {via}
      </p>
    );
  return (
    <p role="alert" className="email-test failed">
      {t('email.relay.testFailed', { error: result.error ?? '' })}
      {via}
    </p>
  );
}

/** The SMTP relay replies go out through: a form whose password is write-only, and a live test. */
export function EmailRelay({ me }: { me: Me }) {
  const client = useQueryClient();
  const notice = useNotice();
  const relay = useQuery({ queryKey: relayKey, queryFn: () => api<RelayView>('/channels/email/relay') });
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [formKey, setFormKey] = useState(0);
  const save = useMutation({
    mutationFn: (body: RelayInput) => api<RelayView>('/channels/email/relay', { method: 'PUT', body }),
    onSuccess: (view) => {
      client.setQueryData(relayKey, view);
      // A fresh form: the password typed in is stored now, and must not sit in the field.
      setFormKey((key) => key + 1);
      test.reset();
      notice.say(t('email.relay.saved'));
    },
  });
  const remove = useMutation({
    mutationFn: () => api<void>('/channels/email/relay', { method: 'DELETE' }),
    onSuccess: () => {
      setConfirmRemove(false);
      setFormKey((key) => key + 1);
      test.reset();
      void client.invalidateQueries({ queryKey: relayKey });
      notice.say(t('email.relay.removed'));
    },
  });
  const test = useMutation({
    mutationFn: () => api<RelayTest>('/channels/email/relay/test', { method: 'POST' }),
  });

  const current = relay.data?.relay ?? null;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get('password') ?? '');
    const body: RelayInput = {
      host: String(form.get('host')).trim(),
      port: Number(form.get('port')),
      secure: form.get('secure') === 'on',
      username: String(form.get('username')).trim() || null,
    };
    if (form.get('removePassword') === 'on') body.password = null;
    else if (password) body.password = password;
    notice.clear();
    save.mutate(body);
  };

  return (
    <section aria-labelledby="email-relay-title">
      <SectionHead
        level={3}
        id="email-relay-title"
        title={t('email.relay.title')}
        intro={t('email.relay.intro')}
      />
      {relay.error && <p role="alert">{t('common.error', { detail: relay.error.message })}</p>}
      {relay.data && !current && (
        <p className="email-relay-state muted">
          {relay.data.usesDefaultRelay ? t('email.relay.usesDefault') : t('email.relay.noRelay')}
        </p>
      )}
      {notice.element}
      {relay.data && (
        <form
          key={formKey}
          className="email-panel stack"
          onSubmit={submit}
          aria-labelledby="email-relay-title"
        >
          <HostPortFields
            host={current?.host}
            port={current?.port}
            defaultPort={587}
            placeholder="smtp.example.com"
            hostLabel={t('email.relay.host')}
            portLabel={t('email.relay.port')}
            portHint={t('email.relay.portHint')}
            error={save.error}
          />
          <label className="adm-check">
            <input type="checkbox" name="secure" defaultChecked={current?.secure ?? false} />
            {t('email.relay.secure')}
          </label>
          <div className="adm-form-row">
            <Field label={t('email.relay.username')} error={fieldError(save.error, 'username')}>
              {(a11y) => (
                <input
                  {...a11y}
                  name="username"
                  maxLength={320}
                  defaultValue={current?.username ?? ''}
                  autoComplete="off"
                />
              )}
            </Field>
            <PasswordField
              label={t('email.relay.password')}
              hint={current?.hasPassword ? t('email.relay.passwordKept') : t('email.relay.passwordNone')}
              error={save.error}
            />
          </div>
          {current?.hasPassword && (
            <label className="adm-check">
              <input type="checkbox" name="removePassword" />
              {t('email.relay.removePassword')}
            </label>
          )}
          <FormProblem error={save.error} fields={['host', 'port', 'username', 'password']} />
          <div className="adm-inline-controls">
            <button type="submit" className="primary" disabled={save.isPending}>
              {t('common.save')}
            </button>
            {(current || relay.data.usesDefaultRelay) && (
              <button
                type="button"
                onClick={() => {
                  notice.clear();
                  test.mutate();
                }}
                disabled={test.isPending}
              >
                {test.isPending ? t('email.relay.testing') : t('email.relay.test')}
              </button>
            )}
            <span className="adm-grow" />
            {current && (
              <button type="button" className="adm-danger-link" onClick={() => setConfirmRemove(true)}>
                {t('email.relay.remove')}
              </button>
            )}
          </div>
          {test.data && <TestOutcome result={test.data} email={me.user.email} />}
          {test.error && <FormProblem error={test.error} />}
        </form>
      )}
      <ConfirmDialog
        open={confirmRemove}
        title={t('email.relay.removeTitle')}
        message={t('email.relay.removeMessage')}
        confirmLabel={t('email.remove')}
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate()}
        onCancel={() => setConfirmRemove(false)}
      />
    </section>
  );
}
