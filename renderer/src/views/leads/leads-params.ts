/** The Leads list's state in its URL: `#/leads?q=ann&status=hot&sort=score&row=120`. */
import { z } from 'zod';
import { contract } from '../../../../shared/api/contract.js';
import { leadStatus } from '../../../../shared/api/models.js';
import { offsetParam } from '../../lib/paging-param.js';

const listLeads = contract.listLeads.input.shape;

export const LEADS_PARAMS = z.object({
  q: z.string().trim().max(200).default(''),
  status: leadStatus.optional(),
  segment: z.string().trim().max(100).default(''),
  stage: z.string().trim().max(100).default(''),
  sort: listLeads.sort,
  dir: listLeads.dir,
  /** The row at the top of the table, so Back returns to the same place in a long list. */
  row: offsetParam,
});
