/**
 * Links that open a view at one of its sections (`#/settings?section=tunnel-title`): the view
 * scrolls the section's heading into view once it is drawn, and moves focus there, so a step of
 * the first-run checklist lands on the very control it is about.
 */
import { useEffect } from 'react';
import { useRouteQuery, withQuery } from './router.js';

export function sectionLink(path: string, headingId: string): string {
  return withQuery(path, new URLSearchParams({ section: headingId }).toString());
}

/** `ready`: the view's content is drawn (its data loaded). */
export function useScrollToSection(ready: boolean): void {
  const query = useRouteQuery();
  const id = new URLSearchParams(query).get('section');
  useEffect(() => {
    if (!ready || !id) return;
    // After the frame's own move to the page title (Shell), which runs after this view's effects.
    const timer = setTimeout(() => {
      const heading = document.getElementById(id);
      if (!heading) return;
      const card = heading.closest('section') ?? heading;
      card.scrollIntoView({ block: 'start' });
      if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: true });
    }, 0);
    return () => clearTimeout(timer);
  }, [ready, id]);
}
