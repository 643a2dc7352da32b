import { pretty } from '../lib/format.js';

export function JsonBlock({ value, label, maxHeight }: { value: unknown; label: string; maxHeight?: number }) {
  return (
    <pre className="json-block" aria-label={label} tabIndex={0} style={maxHeight ? { maxHeight } : undefined}>
      {pretty(value)}
    </pre>
  );
}
