/** The Events inbox's filters and page in its URL: `#/events?endpoint=lead-optin&outcome=rejected&offset=50`. */
import { z } from 'zod';
import { inboxRequest } from '../../../../shared/api/models.js';
import { offsetParam } from '../../lib/paging-param.js';

export const EVENTS_PARAMS = z.object({
  endpoint: z.string().max(100).default(''),
  outcome: inboxRequest.shape.outcome.optional(),
  offset: offsetParam,
});
