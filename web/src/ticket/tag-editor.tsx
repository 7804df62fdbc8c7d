import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, query } from '../api/client.ts';
import type { Tag } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';

/** The ticket's tags as removable chips, and a box that suggests the workspace's tags as you type. */
export function TagEditor(props: {
  tags: string[];
  disabled: boolean;
  onAdd: (tag: string) => void;
  onRemove: (tag: string) => void;
}) {
  const [text, setText] = useState('');
  const prefix = text.trim().toLowerCase();
  const suggestions = useQuery({
    queryKey: ['tags', prefix],
    queryFn: () => api<{ data: Tag[] }>(`/tags${query({ prefix })}`),
    select: (r) => r.data.map((tag) => tag.name).filter((name) => !props.tags.includes(name)),
    enabled: prefix.length > 0,
    staleTime: 30_000,
  });
  const add = (event: FormEvent) => {
    event.preventDefault();
    const tag = text.trim();
    if (!tag) return;
    props.onAdd(tag);
    setText('');
  };
  return (
    <div className="tag-editor">
      <ul className="chips" aria-label={t('ticket.tags')}>
        {props.tags.map((tag) => (
          <li key={tag} className="chip">
            <span>{tag}</span>
            {!props.disabled && (
              <button
                type="button"
                className="chip-remove"
                aria-label={t('ticket.removeTag', { tag })}
                onClick={() => props.onRemove(tag)}
              >
                ×
              </button>
            )}
          </li>
        ))}
        {props.tags.length === 0 && <li className="muted">{t('ticket.noTags')}</li>}
      </ul>
      {!props.disabled && (
        <form onSubmit={add} className="tag-add">
          <input
            aria-label={t('ticket.addTag')}
            placeholder={t('ticket.addTag')}
            list="tag-suggestions"
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
          <datalist id="tag-suggestions">
            {suggestions.data?.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
          <button type="submit" disabled={!text.trim()}>
            {t('ticket.add')}
          </button>
        </form>
      )}
    </div>
  );
}
