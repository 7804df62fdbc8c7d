import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { MessageKey } from '../i18n/i18n.ts';

type Shortcut = { key: string; label: MessageKey; run: () => void };

const active: Shortcut[] = [];
const listeners = new Set<() => void>();
let version = 0;
const changed = () => {
  version++;
  for (const listener of listeners) listener();
};

function typingInField(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  if (!element) return false;
  return element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName);
}

document.addEventListener('keydown', (event) => {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typingInField(event.target))
    return;
  // The most recently registered handler for a key wins: the page in front speaks first.
  const shortcut = [...active].reverse().find((candidate) => candidate.key === event.key);
  if (!shortcut) return;
  event.preventDefault();
  shortcut.run();
});

/** Registers a single-key shortcut while the component is mounted; it is listed in the "?" help. */
export function useShortcut(key: string, label: MessageKey, run: () => void) {
  const latest = useRef(run);
  latest.current = run;
  useEffect(() => {
    const shortcut: Shortcut = { key, label, run: () => latest.current() };
    active.push(shortcut);
    changed();
    return () => {
      active.splice(active.indexOf(shortcut), 1);
      changed();
    };
  }, [key, label]);
}

export function useActiveShortcuts(): { key: string; label: MessageKey }[] {
  useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => version,
  );
  const seen = new Map<string, MessageKey>();
  for (const shortcut of active) seen.set(shortcut.key, shortcut.label);
  return [...seen].map(([key, label]) => ({ key, label }));
}
