import { useCallback, useEffect, useRef, useState } from 'react';
import type { Upload } from './ticket-api.ts';

export type Draft = { body: string; uploads: Upload[] };
const empty: Draft = { body: '', uploads: [] };
const SAVE_AFTER_MS = 400;

const storageKey = (ticketId: string, mode: string) => `rapport.draft.${ticketId}.${mode}`;

function load(key: string): Draft {
  try {
    const raw = localStorage.getItem(key);
    if (!raw) return empty;
    const parsed = JSON.parse(raw) as Partial<Draft>;
    return { body: typeof parsed.body === 'string' ? parsed.body : '', uploads: parsed.uploads ?? [] };
  } catch {
    return empty;
  }
}

function save(key: string, draft: Draft) {
  try {
    if (!draft.body && draft.uploads.length === 0) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(draft));
  } catch {
    // Storage full or blocked: the draft lives on in memory for this visit.
  }
}

/**
 * The composer's text and uploaded files for one ticket and mode, saved to localStorage shortly after
 * each change (and at once when the mode changes or the page goes away), so a reload keeps them.
 */
export function useDraft(ticketId: string, mode: string) {
  const key = storageKey(ticketId, mode);
  const [draft, setDraft] = useState(() => load(key));
  const [loadedKey, setLoadedKey] = useState(key);
  if (loadedKey !== key) {
    setLoadedKey(key);
    setDraft(load(key));
  }
  const pending = useRef<{ key: string; draft: Draft } | undefined>(undefined);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const flush = useCallback(() => {
    clearTimeout(timer.current);
    if (pending.current) save(pending.current.key, pending.current.draft);
    pending.current = undefined;
  }, []);

  useEffect(() => {
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, [flush]);
  // Switching mode or ticket writes the previous draft before reading the next.
  useEffect(() => {
    const leaving = key;
    return () => {
      if (pending.current?.key === leaving) flush();
    };
  }, [flush, key]);

  const latest = useRef(draft);
  latest.current = draft;
  const update = useCallback(
    (change: Partial<Draft>) => {
      const next = { ...latest.current, ...change };
      latest.current = next;
      setDraft(next);
      pending.current = { key, draft: next };
      clearTimeout(timer.current);
      timer.current = setTimeout(flush, SAVE_AFTER_MS);
    },
    [key, flush],
  );

  const clear = useCallback(() => {
    clearTimeout(timer.current);
    pending.current = undefined;
    save(key, empty);
    setDraft(empty);
  }, [key]);

  return { draft, update, clear };
}
