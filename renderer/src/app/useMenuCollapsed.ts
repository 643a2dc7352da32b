/**
 * Whether the sidebar shows only its icons: the owner's choice once made (kept on this computer),
 * else by the window's width, so an 800 px window gives its width to the content.
 */
import { useCallback, useState, useSyncExternalStore } from 'react';

const KEY = 'leadbell.menu';
const NARROW = '(max-width: 1000px)';

function subscribe(onChange: () => void): () => void {
  const mq = window.matchMedia(NARROW);
  mq.addEventListener('change', onChange);
  return () => mq.removeEventListener('change', onChange);
}

export function useMenuCollapsed(): [boolean, () => void] {
  const narrow = useSyncExternalStore(subscribe, () => window.matchMedia(NARROW).matches);
  const [chosen, setChosen] = useState<string | null>(() => localStorage.getItem(KEY));
  const collapsed = chosen === null ? narrow : chosen === 'collapsed';
  const toggle = useCallback(() => {
    const next = collapsed ? 'open' : 'collapsed';
    localStorage.setItem(KEY, next);
    setChosen(next);
  }, [collapsed]);
  return [collapsed, toggle];
}
