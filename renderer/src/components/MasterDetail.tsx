/**
 * A list beside the selected item's details. In a narrow window the details stack below the list,
 * where a click on a row would change them out of sight: there, choosing another row brings the
 * details into view.
 */
import { useEffect, useRef, type ReactNode } from 'react';

export function MasterDetail({ selected, children }: { selected: string | undefined; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const shown = useRef(selected);
  useEffect(() => {
    if (shown.current === selected) return;
    shown.current = selected;
    const [master, detail] = [ref.current?.firstElementChild, ref.current?.lastElementChild];
    if (!master || !detail || master === detail) return;
    const stacked = detail.getBoundingClientRect().top >= master.getBoundingClientRect().bottom;
    if (stacked) detail.scrollIntoView({ block: 'start', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
  }, [selected]);
  return (
    <div className="master-detail" ref={ref}>
      {children}
    </div>
  );
}
