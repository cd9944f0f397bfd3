import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UiLocale } from './format.ts';

export function useLocale(): UiLocale {
  const { i18n } = useTranslation();
  return i18n.language === 'en' ? 'en' : 'zh-TW';
}

/** Sets the document title: `<title> · Pitch-A-Seat 讓座`. */
export function useTitle(title: string | null | undefined) {
  useEffect(() => {
    document.title = title ? `${title} · Pitch-A-Seat 讓座` : 'Pitch-A-Seat 讓座';
  }, [title]);
}

/** The current time, ticking every `intervalMs`. */
export function useNow(intervalMs = 1000) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}
