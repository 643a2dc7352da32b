/**
 * Says so when the UI has lost contact with the core (instead of showing stale numbers as if
 * they were current), and recovers by itself: the core is asked again every few seconds, and
 * once it answers every view is refreshed.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { ApiClientError } from '../api/errors.js';
import { useApiQuery } from '../api/queries.js';
import { Notice } from '../components/Layout.js';

/** How often the core is asked whether it is there. */
export const CONTACT_CHECK_MS = 4_000;

export function OfflineBanner() {
  const qc = useQueryClient();
  const status = useApiQuery('getStatus', {}, { refetchInterval: CONTACT_CHECK_MS, refetchIntervalInBackground: true, retry: false });
  const lost = status.error instanceof ApiClientError && status.error.code === 'network';
  const wasLost = useRef(false);
  useEffect(() => {
    // Contact is back: whatever is on screen may have changed meanwhile.
    if (wasLost.current && !lost) void qc.invalidateQueries();
    wasLost.current = lost;
  }, [lost, qc]);
  if (!lost) return null;
  return (
    <Notice tone="bad" title="Leadbell is not answering">
      The numbers on this page may be out of date. Leads are still kept if Leadbell is running; this page reconnects by itself as soon as it answers.
    </Notice>
  );
}
