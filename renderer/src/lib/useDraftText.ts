import { useEffect, useState } from 'react';
import { useDebounced } from './useDebounced.js';

/**
 * A text box over a stored value (a search in the URL): the box follows every keystroke, the
 * trimmed text is committed once typing pauses for `ms`, and a change from elsewhere (Back, a
 * link) shows in the box.
 */
export function useDraftText(committed: string, commit: (text: string) => void, ms: number): [string, (text: string) => void] {
  const [draft, setDraft] = useState(committed);
  const settled = useDebounced(draft, ms);

  useEffect(() => {
    // The box keeps what is being typed ("ann " on the way to "ann smith") while it means the same.
    setDraft((d) => (d.trim() === committed ? d : committed));
  }, [committed]);

  useEffect(() => {
    if (settled.trim() !== committed) commit(settled.trim());
    // Only a settled draft commits: a change of `committed` from elsewhere must not be written back.
  }, [settled]);

  return [draft, setDraft];
}
