import { t } from '../i18n/i18n.ts';
import { type EmailMeta, mailbox, type SkippedAttachment } from './email-meta.ts';
import { fileSize } from './ticket-format.ts';

/** From, To and Cc of an inbound email, as compact lines under the message's head. */
export function EmailHeaders({ meta }: { meta: EmailMeta }) {
  const rows: [string, string][] = [[t('email.from'), mailbox(meta.from)]];
  if (meta.to.length) rows.push([t('email.to'), meta.to.join(', ')]);
  if (meta.cc.length) rows.push([t('email.cc'), meta.cc.join(', ')]);
  return (
    <dl className="email-headers" aria-label={t('email.headers')}>
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Files the email carried that were not kept, each with why, so the agent can ask for them another way. */
export function SkippedAttachments({ skipped }: { skipped: SkippedAttachment[] }) {
  if (skipped.length === 0) return null;
  return (
    <div className="skipped-attachments">
      <strong>{t('email.skipped')}</strong>
      <ul>
        {skipped.map((file) => (
          <li key={`${file.name}:${file.size}:${file.reason}`}>
            {t('email.skippedItem', { name: file.name, size: fileSize(file.size), reason: file.reason })}
          </li>
        ))}
      </ul>
    </div>
  );
}
