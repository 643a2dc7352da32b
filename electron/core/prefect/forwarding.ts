/**
 * Which events go to Prefect. With a server set up: all events, those named in the settings, or
 * none; and always the events of triggers set to run their flow on Prefect (then even without a
 * server, so the run says "not configured" and can be retried once it is).
 */
import type { EventRecord } from '../../../shared/api/models.js';
import type { PrefectOptions } from '../../../shared/integrations/prefect.js';
import { matchesEvent } from '../triggers/match.js';

export function forwards(options: PrefectOptions | null, e: EventRecord, askedByTrigger: boolean): boolean {
  if (askedByTrigger) return true;
  if (!options) return false;
  if (options.forward === 'all') return true;
  return options.forward === 'matching' && options.events.length > 0 && matchesEvent(options.events, e.event);
}
