import { Field, fieldError } from './admin-kit.tsx';

/** Host and port of a mail server, side by side: the port starts at `defaultPort` on a new one. */
export function HostPortFields({
  host,
  port,
  defaultPort,
  placeholder,
  hostLabel,
  portLabel,
  portHint,
  error,
}: {
  host: string | undefined;
  port: number | undefined;
  defaultPort: number;
  placeholder: string;
  hostLabel: string;
  portLabel: string;
  portHint: string;
  error: unknown;
}) {
  return (
    <div className="adm-form-row email-host-row">
      <Field label={hostLabel} error={fieldError(error, 'host')}>
        {(a11y) => (
          <input
            {...a11y}
            name="host"
            required
            maxLength={253}
            defaultValue={host}
            placeholder={placeholder}
            autoComplete="off"
          />
        )}
      </Field>
      <Field label={portLabel} hint={portHint} error={fieldError(error, 'port')}>
        {(a11y) => (
          <input
            {...a11y}
            name="port"
            type="number"
            required
            min={1}
            max={65535}
            defaultValue={port ?? defaultPort}
          />
        )}
      </Field>
    </div>
  );
}

/**
 * A write-only password: always empty, since the server never sends a stored one back; `hint` says
 * whether leaving it empty keeps one.
 */
export function PasswordField({
  label,
  hint,
  error,
  required = false,
}: {
  label: string;
  hint: string;
  error: unknown;
  required?: boolean;
}) {
  return (
    <Field label={label} hint={hint} error={fieldError(error, 'password')}>
      {(a11y) => (
        <input
          {...a11y}
          name="password"
          type="password"
          autoComplete="new-password"
          maxLength={1000}
          required={required}
        />
      )}
    </Field>
  );
}
