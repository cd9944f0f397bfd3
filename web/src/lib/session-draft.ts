// What a buyer typed at checkout, kept in this tab's sessionStorage while they are away at a
// wallet's page or 3-D Secure, so coming back (cancelled, declined) does not empty the form.
// Only text fields the buyer typed themselves; never card data (TapPay's iframes hold that).
import { useCallback, useState } from 'react';

function read<T extends { [K in keyof T]: string }>(key: string, initial: T): T {
  try {
    const stored: unknown = JSON.parse(sessionStorage.getItem(key) ?? 'null');
    if (!stored || typeof stored !== 'object') return initial;
    const kept = { ...initial };
    for (const field of Object.keys(initial) as (keyof T)[]) {
      const value = (stored as Record<keyof T, unknown>)[field];
      if (typeof value === 'string') kept[field] = value as T[keyof T];
    }
    return kept;
  } catch {
    return initial;
  }
}

/** `useState` for a form of text fields, mirrored into sessionStorage under `key`. */
export function useSessionDraft<T extends { [K in keyof T]: string }>(
  key: string,
  initial: () => T,
): [T, (next: T) => void] {
  const [draft, setDraft] = useState(() => read(key, initial()));
  const update = useCallback(
    (next: T) => {
      setDraft(next);
      try {
        sessionStorage.setItem(key, JSON.stringify(next));
      } catch {
        // private mode or full: the form still works, it is only not kept
      }
    },
    [key],
  );
  return [draft, update];
}

/** Forgets every draft whose key starts with `prefix` (the order was paid or gave up). */
export function forgetSessionDrafts(prefix: string) {
  try {
    for (let i = sessionStorage.length - 1; i >= 0; i--) {
      const key = sessionStorage.key(i);
      if (key?.startsWith(prefix)) sessionStorage.removeItem(key);
    }
  } catch {
    // ignore
  }
}
