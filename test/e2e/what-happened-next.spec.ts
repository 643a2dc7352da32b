/**
 * "I sent it: did anything happen, and if not, why?" A received request in Events shows the lead
 * it led to and each automation: a link to the run it started, or why it did not run.
 */
import type { RequestEffects } from '../../shared/api/models.js';
import { expect, openView, screenshot, test, uniqueEmail } from './fixtures.js';

test('an opt-in shows its lead and the automations it started; a link opens the run', async ({ page, app }) => {
  const email = uniqueEmail('next');
  expect((await app.webhook('lead-optin', { email, first_name: 'Nell' })).status).toBe(202);

  await openView(page, '/events', 'Events');
  await page.getByTestId('request-row').filter({ hasText: email }).click();
  const next = page.getByTestId('what-happened-next');
  await expect(next.getByRole('heading', { name: 'What happened next' })).toBeVisible();
  // The lead appears once the opt-in automation has stored it (live, without a reload).
  await expect(next.getByRole('link', { name: `Nell (${email})` })).toBeVisible();
  const automations = next.getByTestId('effect-automation');
  await expect(automations).toHaveCount(3);
  for (const flow of ['Lead opt-in', 'New-lead notification', 'Nurture by segment']) {
    await expect(next.getByRole('link', { name: new RegExp(`^Run: ${flow}`) })).toBeVisible();
  }
  await screenshot(page, 'events-what-happened-next-light');
  // Every link and disclosure in the section is named by its own words.
  const controls = next.locator('a[href], summary');
  for (let i = 0; i < (await controls.count()); i++) await expect(controls.nth(i)).toHaveAccessibleName(/\S/);

  await next.getByRole('link', { name: 'Run: Lead opt-in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Run history' })).toBeVisible();
  await expect(page).toHaveURL(/#\/runs\/[^/?]+/);
  const runId = decodeURIComponent(new URL(page.url()).hash.replace(/^#\/runs\//, '').split('?')[0]!);
  const run = (await app.api('GET', `/api/runs/${encodeURIComponent(runId)}`)).body as { flow: string; parameters: { email?: string } };
  expect(run).toMatchObject({ flow: 'lead-optin', parameters: { email } });
  await expect(page.getByRole('heading', { level: 2, name: 'Lead opt-in' })).toBeVisible();

  await page.goBack();
  await page.getByTestId('what-happened-next').getByRole('link', { name: `Nell (${email})` }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Nell/ })).toBeVisible();
});

test('one run reads the same in Events, Run history and the lead timeline: its badge and its words', async ({ page, app }) => {
  const email = uniqueEmail('same-words');
  expect((await app.webhook('assessment', { email, first_name: 'Wendy', score: 95 })).status).toBe(202);
  let run: { id: string; lead_id: string; status: string } | undefined;
  await expect
    .poll(async () => {
      const lead = (await app.api('GET', `/api/leads?search=${encodeURIComponent(email)}`)).body.items[0];
      run = lead && (await app.api('GET', `/api/runs?lead_id=${lead.id}&flow=assessment`)).body.items[0];
      return run?.status;
    })
    .toMatch(/completed|partial|failed/);

  const read = async (scope: import('@playwright/test').Locator) => ({
    badge: (await scope.locator('.badge').first().textContent())?.trim(),
    words: (await scope.getByTestId('run-headline').textContent())?.trim(),
  });

  await openView(page, '/events', 'Events');
  await page.getByTestId('request-row').filter({ hasText: email }).click();
  const inEvents = page.getByTestId('what-happened-next').getByTestId('effect-automation').filter({ has: page.getByRole('link', { name: 'Run: Assessment completed' }) });
  await expect(inEvents.getByTestId('run-headline')).toContainText('Scored 95 — Hot');
  const events = await read(inEvents);

  await openView(page, `/runs/${run!.id}`, 'Run history');
  const row = page.locator('[data-testid="run-row"][aria-current="true"]');
  await expect(row.getByTestId('run-headline')).toContainText('Scored 95 — Hot');
  const history = await read(row);

  await openView(page, `/leads/${run!.lead_id}`, /Wendy/);
  const inTimeline = page.getByTestId('timeline-run').filter({ hasText: 'Assessment completed' });
  await expect(inTimeline.getByTestId('run-headline')).toContainText('Scored 95 — Hot');
  await expect(page.getByTestId('timeline-event').filter({ hasText: 'Finished the quiz (score 95)' })).toBeVisible();
  const timeline = await read(inTimeline);

  expect(events.words).toBe(history.words);
  expect(timeline).toEqual(history);
  expect(events.badge).toBe(history.badge);
});

test('a low-score assessment says why the hot-lead notification was left out and why an automation did not run', async ({ page, app }) => {
  const flows = (await app.api('GET', '/api/flows')).body.items as { name: string; usual: Record<string, unknown> }[];
  const usual = flows.find((f) => f.name === 'assessment')!.usual;
  const saved = await app.api('PUT', '/api/triggers', {
    ...usual,
    name: 'Second assessment within a day: score again',
    flow: 'assessment',
    threshold: { count: 2, within_seconds: 86_400 },
  });
  expect(saved.status).toBe(200);
  try {
    const email = uniqueEmail('lowscore');
    expect((await app.webhook('assessment', { email, first_name: 'Lou', score: 20 })).status).toBe(202);

    await openView(page, '/events', 'Events');
    await page.getByTestId('request-row').filter({ hasText: email }).click();
    const next = page.getByTestId('what-happened-next');
    const held = next.getByTestId('effect-automation').filter({ hasText: 'Second assessment within a day' });
    await expect(held).toContainText('Not yet');
    await expect(held.getByTestId('effect-reason')).toContainText('1 of 2 within 86400 s');
    await expect(held.getByRole('link')).toHaveCount(0);

    const scored = next.getByTestId('effect-automation').filter({ has: page.getByRole('link', { name: 'Run: Assessment completed' }) });
    await expect(scored).toHaveCount(1);
    await scored.getByText(/steps? left out/).click();
    await expect(scored).toContainText('Desktop alert: the score 20 is cold, not hot');

    // The same answer through the API, with the request's id.
    const request = (await app.api('GET', '/api/requests?endpoint=assessment&limit=20')).body.items.find((r: { body: string }) => r.body.includes(email));
    const effects = (await app.api('GET', `/api/requests/${request.id}/effects`)).body as RequestEffects;
    expect(effects.automations.find((a) => a.trigger_id === saved.body.id)).toMatchObject({ outcome: 'counted', run: null });
  } finally {
    await app.api('DELETE', `/api/triggers/${saved.body.id}`);
  }
});

test('an event no automation listens for says so and points to Automations', async ({ page, app }) => {
  // A generic event of a kind no default automation expects.
  const id = `quiet-${Date.now()}`;
  expect((await app.webhook('events', { event: 'lead.note_added', id, resource: { 'prefect.resource.id': 'note.quiet' }, payload: { note: id } })).status).toBe(202);
  await openView(page, '/events?endpoint=events', 'Events');
  await page.getByTestId('request-row').filter({ hasText: /./ }).first().click();
  const next = page.getByTestId('what-happened-next');
  await expect(next.getByTestId('effects-none')).toContainText('No automation listens for this event');
  await next.getByRole('link', { name: 'Set one up in Automations' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Automations' })).toBeVisible();
});
