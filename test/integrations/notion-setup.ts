/** The Notion suites' shared set-up: a fake and a harness at a scaled-down rate, and a lead. */
import type { NotionLead } from '../../electron/core/integrations/notion.js';
import { NotionFake } from '../fakes/notion-fake.js';
import { startHarness, type Harness } from './harness.js';

// Notion's 3 requests/s, scaled to 3 per 100 ms on both sides.
export const RATE = { limit: 3, windowMs: 100 };

export function configureNotion(x: Harness, fake: NotionFake): void {
  x.stores.secrets.set('integration.notion.token', fake.token);
  x.stores.settings.update({ integrations: { notion: { base_url: fake.url, data_source_id: fake.dataSourceId } } });
}

/** A fake and a harness at the scaled-down rate, configured together. */
export async function startNotion(): Promise<{ notion: NotionFake; h: Harness }> {
  const notion = await NotionFake.start({ rateLimit: RATE });
  const h = startHarness({ rateLimits: { notion: RATE } });
  configureNotion(h, notion);
  return { notion, h };
}

export const notionLead = (email: string, over: Partial<NotionLead> = {}): NotionLead => ({
  email,
  first_name: 'Ana',
  phone: '+1 555 123 4567',
  segment: 'beauty-salon',
  source: 'facebook-ad',
  stage: 'opted_in',
  score: null,
  status: 'new',
  priority: 'normal',
  engagement_score: 0,
  ...over,
});
