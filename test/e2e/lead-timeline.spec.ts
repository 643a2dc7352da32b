import { expect, openView, screenshot, skipUnlessAvailable, test, uniqueEmail } from './fixtures.js';

test('the lead page shows the profile, scores and a timeline of events and runs with their steps', async ({ page, app }) => {
  await skipUnlessAvailable(app, 'GET', '/api/runs');
  const email = uniqueEmail('timeline');
  expect((await app.webhook('lead-optin', { email, first_name: 'Tara', phone: '+15550001111', segment: 'auto-repair', source: 'google' })).status).toBe(202);
  expect((await app.webhook('assessment', { email, first_name: 'Tara', score: 62 })).status).toBe(202);
  expect((await app.webhook('email-engagement', { email, event_type: 'click', email_id: 'email-1-immediate-cta', link_url: 'https://example.com/book' })).status).toBe(202);

  await openView(page, '/leads', 'Leads');
  await page.getByRole('searchbox', { name: /Search leads/ }).fill(email);
  await page.getByTestId('lead-row').filter({ hasText: email }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Tara' })).toBeVisible();

  await expect(page.getByText('+15550001111', { exact: true })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Quiz score: 62 out of 100' })).toBeVisible();
  const timeline = page.getByRole('list', { name: 'Timeline' });
  await expect(timeline.getByTestId('timeline-event').filter({ hasText: 'Signed up' })).toBeVisible();
  await expect(timeline.getByTestId('timeline-event').filter({ hasText: 'Finished the quiz' })).toContainText('Finished the quiz (score 62)');
  await expect(timeline.getByTestId('timeline-event').filter({ hasText: 'Clicked a link in an email' })).toContainText('https://example.com/book');
  // Runs appear as their flows finish (live), each with its steps.
  const run = timeline.getByTestId('timeline-run').filter({ hasText: 'Assessment completed' });
  await expect(run).toBeVisible();
  // What the run did, in words: the score and what it means, before any step list.
  await expect(run.getByTestId('run-headline')).toContainText('Scored 62 — Warm');
  await expect(run).not.toContainText('Automation:');
  await run.getByText('Step by step').click();
  await expect(run.getByTestId('run-step').filter({ hasText: 'Scored 62 — Warm' })).toContainText('Done');
  await screenshot(page, 'lead-timeline-light');
});
