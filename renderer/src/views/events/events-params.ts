/**
 * The Events inbox's filters, page and open request in its URL:
 * `#/events?endpoint=lead-optin&outcome=rejected&offset=50&request=1234`.
 */
import { z } from 'zod';
import { inboxRequest } from '../../../../shared/api/models.js';
import { offsetParam } from '../../lib/paging-param.js';
import { sinceParam } from '../../lib/since-param.js';

export const EVENTS_PARAMS = z.object({
  endpoint: z.string().max(100).default(''),
  outcome: inboxRequest.shape.outcome.optional(),
  offset: offsetParam,
  /** Received from this moment on (Home's "Events today"). */
  since: sinceParam,
  /** The request shown beside the list (the newest on the page when absent or not on it). */
  request: z.coerce.number().int().positive().optional(),
});
