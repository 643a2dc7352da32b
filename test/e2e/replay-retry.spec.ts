import { DiscordFake } from '../fakes/discord-fake.js';
import { expect, openView, screenshot, skipUnlessAvailable, test, uniqueEmail } from './fixtures.js';

test('event replay: a stored event is sent through the automations again', async ({ page, app }) => {
  const email = uniqueEmail('replay');
  expect((await app.webhook('lead-optin', { email, first_name: 'Rhea' })).status).toBe(202);
  const events = async () => (await app.api('GET', `/api/events?search=${encodeURIComponent(email)}`)).body;
  const original = (await events()).items[0];
  await skipUnlessAvailable(app, 'GET', '/api/runs');

  await openView(page, '/events', 'Events');
  await page.getByTestId('request-row').filter({ hasText: email }).click();
  await expect(page.getByTestId('request-body')).toContainText(email);
  await page.getByRole('button', { name: 'Replay', exact: true }).click();
  await expect(page.getByText('Sent through your automations again')).toBeVisible();
  await expect.poll(async () => (await events()).total).toBe(2);
  const copy = (await events()).items.find((e: { id: string }) => e.id !== original.id);
  expect(copy.payload.email).toBe(email);
});

test('step retry: a failed Discord alert is retried by hand from Run history and then goes through', async ({ page, app }) => {
  await skipUnlessAvailable(app, 'GET', '/api/runs');
  const discord = await DiscordFake.start();
  // Its first answer: the webhook is unknown (404), a permanent failure that is not retried by itself.
  discord.server.failNext(1, { status: 404, json: { message: 'Unknown Webhook', code: 10015 } });
  try {
    expect((await app.api('PUT', '/api/secrets/integration.discord.webhook_url', { value: discord.webhookUrl })).status).toBe(200);
    const email = uniqueEmail('retry');
    await app.webhook('lead-optin', { email, first_name: 'Remy' });
    await app.webhook('assessment', { email, first_name: 'Remy', score: 93 });

    // Find the assessment run and wait for its Discord step to fail on the 404.
    let runId = '';
    await expect
      .poll(
        async () => {
          const lead = (await app.api('GET', `/api/leads?search=${encodeURIComponent(email)}`)).body.items[0];
          if (!lead) return 'no lead yet';
          const runs = (await app.api('GET', `/api/runs?lead_id=${lead.id}&flow=assessment`)).body.items as { id: string }[];
          if (!runs[0]) return 'no run yet';
          runId = runs[0].id;
          const run = (await app.api('GET', `/api/runs/${runId}`)).body as { steps: { name: string; status: string }[] };
          return run.steps.find((s) => s.name === 'hot_lead_alert')?.status;
        },
        { timeout: 20_000 },
      )
      .toMatch(/failed|dead/);

    await openView(page, `/runs/${runId}`, 'Run history');
    const step = page.getByTestId('run-step').filter({ hasText: 'Discord alert to the team' });
    await expect(step).toContainText(/Failed|Gave up/);
    // The vendor's answer in words; its raw text behind "Details".
    await expect(step.getByTestId('step-words')).toContainText('Discord refused the data');
    await expect(step.locator('.step-error')).toBeHidden();
    await step.getByText('Details').click();
    await expect(step.locator('.step-error')).toContainText('404');
    await screenshot(page, 'run-failed-step-light');

    await step.getByRole('button', { name: 'Retry Discord alert to the team' }).click();
    await expect(page.getByText('Trying "Discord alert to the team" again')).toBeVisible();
    const sent = page.getByTestId('run-step').filter({ hasText: 'Team alerted on Discord' });
    await expect(sent).toContainText('Done');
    expect(discord.messages.some((m) => String(m.embeds[0]?.title).includes('Remy'))).toBe(true);
  } finally {
    await app.api('PUT', '/api/secrets/integration.discord.webhook_url', { value: null });
    await discord.stop();
  }
});

test('a step that only records why a run could not start offers no Retry; in a narrow window a chosen run comes into view', async ({ page, app }) => {
  await skipUnlessAvailable(app, 'GET', '/api/runs');
  // An opt-in without an email: the lead opt-in automation cannot start, and its run says why.
  const id = `no-email-${Date.now()}`;
  expect((await app.webhook('events', { event: 'lead.opted_in', id, payload: { first_name: 'Nomail' } })).status).toBe(202);
  let runId = '';
  await expect
    .poll(async () => {
      const runs = (await app.api('GET', '/api/runs?flow=lead-optin&status=failed&limit=20')).body.items as { id: string; parameters: { first_name?: string } }[];
      runId = runs.find((r) => r.parameters.first_name === 'Nomail')?.id ?? '';
      return runId;
    })
    .not.toBe('');

  // Enough runs that the list fills a small window.
  for (let i = 0; i < 5; i++) expect((await app.webhook('lead-optin', { email: uniqueEmail('narrow'), first_name: 'Nia' })).status).toBe(202);
  await page.setViewportSize({ width: 900, height: 700 });
  await openView(page, `/runs/${runId}`, 'Run history');
  const check = page.getByTestId('run-step').filter({ hasText: 'Details check did not work' });
  await expect(check).toContainText('parameters.email is required');
  await expect(check.getByRole('button', { name: /Retry/ })).toHaveCount(0);

  // No room beside the list here: the chosen run's details open over it, in view, and close back to the list.
  const overlay = page.getByTestId('detail-overlay');
  await expect(overlay).toBeInViewport();
  await overlay.getByRole('button', { name: 'Close' }).click();
  await expect(overlay).toHaveCount(0);
  await expect(page).toHaveURL(/#\/runs$/);
  const other = page.locator('[data-testid="run-row"]').nth(2);
  await other.click();
  await expect(overlay).toBeInViewport();
  await expect(overlay.locator('.detail')).toBeInViewport();
  await page.keyboard.press('Escape');
  await expect(overlay).toHaveCount(0);
});
