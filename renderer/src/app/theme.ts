/** Light / dark theme: the saved choice, or the system's when set to "system". */
import { useEffect, useState } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';

function systemDark(): boolean {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
}

export function useAppliedTheme(choice: ThemeChoice): 'light' | 'dark' {
  const [dark, setDark] = useState(systemDark);
  useEffect(() => {
    const mq = window.matchMedia?.('(prefers-color-scheme: dark)');
    if (!mq) return;
    const onChange = () => setDark(mq.matches);
    mq.addEventListener('change', onChange);
    return () => mq.removeEventListener('change', onChange);
  }, []);
  const applied = choice === 'system' ? (dark ? 'dark' : 'light') : choice;
  useEffect(() => {
    document.documentElement.dataset.theme = applied;
  }, [applied]);
  return applied;
}

export const NEXT_THEME: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
export const THEME_WORDS: Record<ThemeChoice, string> = { system: 'Same as computer', light: 'Light', dark: 'Dark' };
