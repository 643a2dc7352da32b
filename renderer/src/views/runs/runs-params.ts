/** Run history's filters and page in its URL: `#/runs?status=failed&dead=1&offset=50`. */
import { z } from 'zod';
import { runStatus } from '../../../../shared/api/models.js';
import { offsetParam } from '../../lib/paging-param.js';
import { sinceParam } from '../../lib/since-param.js';

export const RUNS_PARAMS = z.object({
  status: runStatus.optional(),
  flow: z.string().max(100).default(''),
  dead: z.stringbool().default(false),
  /** Failed wholly or in part, or retrying, from a moment on: Home's "Automations that failed or are retrying". */
  failed: z.stringbool().default(false),
  since: sinceParam,
  offset: offsetParam,
});
