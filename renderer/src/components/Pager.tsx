import { formatNumber } from '../lib/format.js';
import { Button } from './Button.js';

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
