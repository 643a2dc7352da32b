/** The Leads list's state in its URL: `#/leads?q=ann&status=hot&sort=score&row=120`. */
import { z } from 'zod';
import { contract } from '../../../../shared/api/contract.js';
import { leadStatus } from '../../../../shared/api/models.js';
import { offsetParam } from '../../lib/paging-param.js';
import { sinceParam } from '../../lib/since-param.js';

const listLeads = contract.listLeads.input.shape;

export const LEADS_PARAMS = z.object({
  q: z.string().trim().max(200).default(''),
  status: leadStatus.optional(),
  segment: z.string().trim().max(100).default(''),
  stage: z.string().trim().max(100).default(''),
  owner_stage: z.string().trim().max(100).default(''),
  tag: z.string().trim().max(100).default(''),
  source: z.string().trim().max(200).default(''),
  /** A date range on when leads were added: local calendar days, YYYY-MM-DD, both included. */
  added_from: z.iso.date().optional().catch(undefined),
  added_to: z.iso.date().optional().catch(undefined),
  test_leads: listLeads.test_leads.catch('hide'),
  /** Added, or last changed, from this moment on (Home's "New leads today" and "Hot leads today"). */
  created_since: sinceParam,
  updated_since: sinceParam,
  sort: listLeads.sort,
  dir: listLeads.dir,
  /** The row at the top of the table, so Back returns to the same place in a long list. */
  row: offsetParam,
});
