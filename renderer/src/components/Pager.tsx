import { formatNumber } from '../lib/format.js';
import { Button } from './Button.js';
import { EmptyState } from './Layout.js';

export function Pager({ offset, limit, total, onOffset }: { offset: number; limit: number; total: number; onOffset: (o: number) => void }) {
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(offset + limit, total);
  return (
    <nav className="pager" aria-label="Pages">
      <span className="muted">
        {formatNumber(from)}–{formatNumber(to)} of {formatNumber(total)}
      </span>
      <Button size="sm" icon="back" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))}>
        Newer
      </Button>
      <Button size="sm" disabled={to >= total} onClick={() => onOffset(offset + limit)}>
        Older
      </Button>
    </nav>
  );
}

/** A page past the end of the list (it shrank, or a link was edited): say so, with the way back. */
export function PastLastPage({ onFirst }: { onFirst: () => void }) {
  return (
    <EmptyState title="Nothing on this page">
      <Button size="sm" onClick={onFirst}>
        Back to the first page
      </Button>
    </EmptyState>
  );
}
