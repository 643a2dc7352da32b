/**
 * Hash routes (they work from app:// in Electron and from the admin port alike). A route may carry
 * a query string after its path (`#/leads?q=ann`): the view's filters and page, so that Back and
 * a shared link bring them back.
 */
import { useMemo, useSyncExternalStore } from 'react';

export type Route =
  | { name: 'home' }
  | { name: 'leads' }
  | { name: 'lead'; id: string }
  | { name: 'events' }
  | { name: 'held'; endpoint: string; shape: string }
  | { name: 'runs'; id?: string }
  | { name: 'automations' }
  | { name: 'apps' }
  | { name: 'test' }
  | { name: 'settings' }
  /** An address that names no view: said so, rather than quietly showing Home. */
  | { name: 'notfound'; path: string };

export type HistoryMode = 'push' | 'replace';

/** `#/leads?q=ann` → path `/leads`, query `q=ann`. */
export function splitHash(hash: string): { path: string; query: string } {
  const bare = hash.replace(/^#/, '');
  const at = bare.indexOf('?');
  const path = at < 0 ? bare : bare.slice(0, at);
  return { path: path.startsWith('/') ? path : `/${path}`, query: at < 0 ? '' : bare.slice(at + 1) };
}

/** A link may carry a broken escape (`%E0`): it names nothing, rather than crashing the app. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function parseRoute(path: string): Route {
  const parts = path.split('/').filter(Boolean).map(decodeSegment);
  const [head, id] = parts;
  switch (head) {
    case 'held':
      return id && parts[2] ? { name: 'held', endpoint: id, shape: parts[2] } : { name: 'events' };
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
    case undefined:
      return { name: 'home' };
    default:
      return { name: 'notfound', path };
  }
}

export function href(path: string): string {
  return `#${path.startsWith('/') ? path : `/${path}`}`;
}

/** A path with a query string, when there is one. */
export function withQuery(path: string, query: string): string {
  return query ? `${path}?${query}` : path;
}

export function navigate(path: string): void {
  window.location.hash = href(path);
}

// history.pushState and replaceState fire no event, so writeQuery tells the hooks itself.
const listeners = new Set<() => void>();

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  window.addEventListener('hashchange', onChange);
  window.addEventListener('popstate', onChange);
  return () => {
    listeners.delete(onChange);
    window.removeEventListener('hashchange', onChange);
    window.removeEventListener('popstate', onChange);
  };
}

const readPath = () => splitHash(window.location.hash).path;

/** The current route's query string, read now (not at the last render). */
export const readQuery = () => splitHash(window.location.hash).query;

/**
 * Sets the current route's query string. `replace` for typing and scrolling, so Back is not
 * flooded; `push` for a step Back should undo, such as the next page.
 */
export function writeQuery(query: string, mode: HistoryMode): void {
  const next = href(withQuery(readPath(), query));
  if (next === window.location.hash) return;
  if (mode === 'push') window.history.pushState(window.history.state, '', next);
  else window.history.replaceState(window.history.state, '', next);
  listeners.forEach((notify) => notify());
}

/** The path part of the route; a change of query alone does not re-render its users. */
export function useRoutePath(): string {
  return useSyncExternalStore(subscribe, readPath);
}

export function useRouteQuery(): string {
  return useSyncExternalStore(subscribe, readQuery);
}

export function useRoute(): Route {
  const path = useRoutePath();
  return useMemo(() => parseRoute(path), [path]);
}
