/**
 * Run history tells a run that reached its apps from one whose app steps were all skipped (both
 * finish "completed"): the API's run list, run detail and lead timeline carry the step counts,
 * with the apps that were not set up, and steps skipped by a flow setting counted apart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run, RunStepCounts, TimelineItem } from '../../shared/api/models.js';
import { startWorld, type World } from './world.js';

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w.stop());

const SECRETS = {
  loops: 'integration.loops.api_key',
  discord: 'integration.discord.webhook_url',
  slack: 'integration.slack.webhook_url',
  notion: 'integration.notion.token',
  meta: 'integration.meta.access_token',
} as const;

/** Runs the body with these apps' credentials removed, then puts them back. */
async function without(apps: (keyof typeof SECRETS)[], body: () => Promise<void>): Promise<void> {
  const { secrets } = w.tc.core.stores;
  const saved = apps.map((a) => [SECRETS[a], secrets.get(SECRETS[a])] as const);
  for (const [name] of saved) secrets.set(name, null);
  try {
    await body();
  } finally {
    for (const [name, value] of saved) secrets.set(name, value);
  }
}

/** The run of this flow for this event as the list, the detail and the lead's timeline give it. */
async function everywhere(flow: string, eventId: string, email: string): Promise<RunStepCounts> {
  const detail = await w.run(flow, eventId);
  const list = (await w.tc.api('GET', `/api/runs?flow=${flow}&limit=200`)).body.items as Run[];
  const listed = list.find((r) => r.id === detail.id);
  const lead = (await w.tc.api('GET', `/api/leads/${encodeURIComponent(email)}`)).body as { timeline: TimelineItem[] };
  const onTimeline = lead.timeline.flatMap((t) => (t.kind === 'run' && t.run.id === detail.id ? [t.run] : []))[0];
  expect(detail.status).toBe('completed');
  expect(listed?.step_counts).toEqual(detail.step_counts);
  expect(onTimeline?.step_counts).toEqual(detail.step_counts);
  return detail.step_counts;
}

describe('run step counts', () => {
  it('no app set up: every app step is counted as skipped for that reason, nothing sent', async () => {
    let eventId = '';
    await without(['loops', 'discord', 'notion', 'meta'], async () => {
      eventId = await w.send('assessment', { email: 'nothing@example.com', first_name: 'Nat', score: 95, segment: 'beauty-salon' });
      await w.settle();
    });
    // Scoring and the desktop notification ran here; the alert, nurture, audience and Notion did not.
    expect(await everywhere('assessment', eventId, 'nothing@example.com')).toEqual({
      total: 6,
      skipped: 4,
      not_configured: 4,
      apps_not_configured: ['loops', 'discord', 'notion', 'meta'],
      app_steps: 4,
      app_steps_sent: 0,
    });
  });

  it('some apps set up: the others are named, and a step turned off in the flow is not one of them', async () => {
    w.tc.core.stores.settings.update({ flows: { assessment: { mirror_to_notion: false } } });
    let eventId = '';
    try {
      await without(['meta'], async () => {
        eventId = await w.send('assessment', { email: 'some@example.com', first_name: 'Sam', score: 95 });
        await w.settle();
      });
    } finally {
      w.tc.core.stores.settings.update({ flows: { assessment: { mirror_to_notion: true } } });
    }
    expect(await everywhere('assessment', eventId, 'some@example.com')).toEqual({
      total: 6,
      skipped: 2,
      not_configured: 1,
      apps_not_configured: ['meta'],
      app_steps: 4,
      app_steps_sent: 2,
    });
  });

  it('every app set up: nothing skipped, every app step sent', async () => {
    const eventId = await w.send('lead-optin', { email: 'all@example.com', first_name: 'Al', segment: 'fitness' });
    await w.settle();
    expect(await everywhere('segment-routing', eventId, 'all@example.com')).toEqual({
      total: 1,
      skipped: 0,
      not_configured: 0,
      apps_not_configured: [],
      app_steps: 1,
      app_steps_sent: 1,
    });
  });
});
