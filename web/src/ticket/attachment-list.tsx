import type { Message } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { fileSize } from './ticket-format.ts';

// The server serves these inline; other types (SVG among them) download instead.
const previewable = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/bmp',
]);

/** A message's files: images as thumbnails, everything else as a named link with its size. */
export function AttachmentList({ attachments }: { attachments: Message['attachments'] }) {
  if (attachments.length === 0) return null;
  return (
    <ul className="attachments" aria-label={t('ticket.attachments')}>
      {attachments.map((file) => (
        <li key={file.url ?? `${file.name}:${file.size}`} className="attachment">
          {file.url ? (
            <a href={file.url} target="_blank" rel="noreferrer">
              {previewable.has(file.contentType) && (
                <img src={file.url} alt="" className="thumbnail" loading="lazy" />
              )}
              <span className="attachment-name">{file.name}</span>
            </a>
          ) : (
            <span className="attachment-name">{file.name}</span>
          )}
          <span className="muted"> {fileSize(file.size)}</span>
        </li>
      ))}
    </ul>
  );
}
