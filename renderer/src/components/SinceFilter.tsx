/** Shows that a list is limited to a moment onwards (a Home tile opened it), with a way to see it all. */
import { sinceWords } from '../lib/since-param.js';
import { Icon } from './Icon.js';

export function SinceFilter({ what, since, onClear }: { what: string; since: string; onClear: () => void }) {
  const words = `${what} ${sinceWords(since)}`;
  return (
    <span className="since-filter" data-testid="since-filter">
      <Icon name="history" size={15} />
      <span>{words}</span>
      <button type="button" className="since-clear" aria-label={`Show all, not only ${words.toLowerCase()}`} title="Show all" onClick={onClear}>
        <Icon name="x" size={14} />
      </button>
    </span>
  );
}
