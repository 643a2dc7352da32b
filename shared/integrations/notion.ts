/** Notion: a page per lead in the owner's database (a data source, API version 2025-09-03). */
import { z } from 'zod';
import { baseOptions, defineIntegration, envUrl } from './entry.js';
import { httpUrl } from '../http-url.js';

export const NOTION_DEFAULT_BASE_URL = 'https://api.notion.com/v1';

/** Names of the columns in the owner's Notion database, renameable in settings. */
const propertyNames = z.object({
  name: z.string().min(1).default('Name'),
  email: z.string().min(1).default('Email'),
  phone: z.string().min(1).default('Phone'),
  segment: z.string().min(1).default('Segment'),
  source: z.string().min(1).default('Source'),
  stage: z.string().min(1).default('Stage'),
  score: z.string().min(1).default('Score'),
  status: z.string().min(1).default('Status'),
  priority: z.string().min(1).default('Priority'),
  engagement_score: z.string().min(1).default('Engagement'),
});
export type NotionPropertyNames = z.infer<typeof propertyNames>;

export const notion = defineIntegration({
  name: 'notion',
  label: 'Notion',
  rate: { limit: 3, windowMs: 1_000 }, // 3 requests/s on average per integration
  secrets: [
    {
      key: 'token',
      env: 'NOTION_TOKEN',
      label: 'Integration token',
      hint: 'notion.so/my-integrations → your integration → Internal integration secret.',
    },
  ],
  options: baseOptions.extend({
    base_url: httpUrl.default(NOTION_DEFAULT_BASE_URL),
    data_source_id: z
      .string()
      .trim()
      .regex(/^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i, 'must be a Notion data source id (32 hex digits)')
      .optional(),
    properties: propertyNames.prefault({}),
  }),
  optionEnv: {
    base_url: { env: 'LEADBELL_NOTION_BASE_URL', parse: envUrl },
    data_source_id: { env: 'NOTION_DATA_SOURCE_ID', parse: z.string().trim().min(1).optional() },
  },
  title: 'Notion',
  blurb: 'Keeps a copy of every lead in a Notion database your team already uses.',
  fields: [
    {
      key: 'data_source_id',
      label: 'Database (data source) id',
      hint: 'Share the database with your integration, then copy its data source id from the database menu.',
      kind: 'text',
      placeholder: '32 letters and digits',
    },
  ],
});
