/**
 * A list beside the selected item's details. When the window leaves no room beside the list, the
 * details open over it, as a panel with a Close button, and only for a row the owner chose (in
 * the address): nothing falls below the visible area, and the list keeps its place underneath.
 */
import { useEffect, useRef, useSyncExternalStore, type ReactNode } from 'react';
import { Button } from './Button.js';

const NO_ROOM = '(max-width: 1100px)';

function subscribe(onChange: () => void): () => void {
  const mq = window.matchMedia(NO_ROOM);
  mq.addEventListener('change', onChange);
  return () => mq.removeEventListener('change', onChange);
}

export function MasterDetail({
  selected,
  chosen,
  onClose,
  master,
  detail,
}: {
  selected: string | undefined;
  /** The owner picked this row (it is in the address), rather than the first one being shown. */
  chosen: boolean;
  onClose: () => void;
  master: ReactNode;
  detail: ReactNode;
}) {
  const overlay = useSyncExternalStore(subscribe, () => window.matchMedia(NO_ROOM).matches);
  const panel = useRef<HTMLDivElement>(null);
  const open = overlay && chosen && detail !== null && detail !== undefined && detail !== false;
  useEffect(() => {
    if (!open) return;
    panel.current?.focus({ preventScroll: true });
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, selected, onClose]);
  if (!overlay) {
    return (
      <div className="master-detail">
        {master}
        {detail}
      </div>
    );
  }
  return (
    <div className="master-detail master-only">
      {master}
      {open && (
        <>
          <div className="detail-backdrop" aria-hidden="true" onClick={onClose} />
          <div className="detail-overlay" role="dialog" aria-label="Details" ref={panel} tabIndex={-1} data-testid="detail-overlay">
            <div className="detail-overlay-bar">
              <Button size="sm" icon="x" onClick={onClose}>
                Close
              </Button>
            </div>
            {detail}
          </div>
        </>
      )}
    </div>
  );
}
