/** Hash routes (they work from app:// in Electron and from the admin port alike). */
import { useEffect, useState } from 'react';

export type Route =
  | { name: 'home' }
  | { name: 'leads' }
  | { name: 'lead'; id: string }
  | { name: 'events' }
  | { name: 'runs'; id?: string }
  | { name: 'automations' }
  | { name: 'apps' }
  | { name: 'test' }
  | { name: 'settings' };

function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [head, id] = parts;
  switch (head) {
    case 'leads':
      return id ? { name: 'lead', id } : { name: 'leads' };
    case 'events':
    case 'automations':
    case 'apps':
    case 'test':
    case 'settings':
      return { name: head };
    case 'runs':
      return id ? { name: 'runs', id } : { name: 'runs' };
    default:
      return { name: 'home' };
  }
}

export function href(path: string): string {
  return `#${path.startsWith('/') ? path : `/${path}`}`;
}

export function navigate(path: string): void {
  window.location.hash = href(path);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
