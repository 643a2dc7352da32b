import { expect, openView, screenshot, skipUnlessAvailable, test, uniqueEmail } from './fixtures.js';

test.describe('Send a test', () => {
  test('a sample goes through the real receiver and answers with a summary that links to its lead and run', async ({ page, app }) => {
    await openView(page, '/test', 'Send a test');
    await page.getByRole('button', { name: /Assessment: hot lead/ }).click();
    const result = page.getByTestId('fire-result');
    await expect(result).toContainText('Assessment: hot lead: received');
    await expect(result).toContainText('/api/webhooks/assessment');
    // No raw answer: a summary in words.
    await expect(result).not.toContainText('"status"');
    await expect(result).not.toContainText('event_id');

    // The lead, by link.
    const lead = result.getByTestId('fire-lead').getByRole('link');
    await expect(lead).toHaveText(/test@example\.com/);
    // Each run it started, by link, with what it did and what it would have sent.
    const scored = result.getByTestId('fire-run').filter({ hasText: 'Assessment completed: score and route' });
    await expect(scored).toContainText('Scored 85 — Hot');
    const runLink = scored.getByRole('link');
    const runHref = await runLink.getAttribute('href');
    expect(runHref).toMatch(/^#\/runs\/[^/]+$/);
    const runId = decodeURIComponent(runHref!.replace('#/runs/', ''));
    expect((await app.api('GET', `/api/runs/${encodeURIComponent(runId)}`)).body).toMatchObject({ flow: 'assessment', parameters: { email: 'test@example.com' } });
    await expect(scored.getByTestId('would-have')).toContainText('Follow-up emails (Loops)');
    await screenshot(page, 'send-a-test-summary-light');

    const leadHref = (await lead.getAttribute('href'))!;
    expect(leadHref).toMatch(/^#\/leads\/[^/]+$/);
    expect((await app.api('GET', `/api/leads/${leadHref.replace('#/leads/', '')}`)).body.lead.email).toBe('test@example.com');

    await runLink.click();
    await expect(page.getByRole('heading', { level: 1, name: 'Run history' })).toBeVisible();
    await expect(page.locator('.detail').getByTestId('run-headline')).toContainText('Scored 85 — Hot');
    await page.goto(`/${leadHref}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Test' })).toBeVisible();
  });

  test('the JSON editor checks as you type with the receiver’s rules', async ({ page }) => {
    await openView(page, '/test', 'Send a test');
    const body = page.getByLabel('Body (JSON)');
    await body.fill('{"first_name": "Ana"');
    await expect(page.getByText(/\(JSON\):/)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeDisabled();
    await body.fill('{"first_name": "Ana"}');
    await expect(page.getByText('email: ')).toBeVisible();
    await body.fill('{"email": "not-an-email"}');
    await expect(page.getByText(/email: .*email/i)).toBeVisible();
    await body.fill(JSON.stringify({ email: 'ana@example.com', first_name: 'Ana' }));
    await expect(page.getByText('Looks good: arrives as “Signed up”')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeEnabled();
  });

  test('test-fire -> the test lead appears under Leads when test leads are shown', async ({ page, app }) => {
    await skipUnlessAvailable(app, 'GET', '/api/runs');
    const email = uniqueEmail('fired');
    await openView(page, '/test', 'Send a test');
    await page.getByLabel('Body (JSON)').fill(JSON.stringify({ email, first_name: 'Fiona', segment: 'fitness' }, null, 2));
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(page.getByTestId('fire-result')).toContainText('Your test: received');
    await screenshot(page, 'send-a-test-result-light');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Leads' }).click();
    // A test makes a test lead: kept out of the list until asked for.
    await page.getByRole('searchbox', { name: /Search leads/ }).fill(email);
    await expect(page.getByTestId('lead-row').filter({ hasText: email })).toHaveCount(0);
    await page.getByLabel('Test leads').selectOption('only');
    const row = page.getByTestId('lead-row').filter({ hasText: email });
    await expect(row).toBeVisible();
    await expect(row).toContainText('Fiona');
    await expect(page.getByTestId('lead-row')).toHaveCount(1);
  });
});

test('firing through the public address proves it works from outside', async ({ page, app }) => {
  await expect.poll(async () => (await app.api('GET', '/api/status')).body.tunnel.state, { timeout: 20_000 }).toBe('online');
  const publicUrl: string = (await app.api('GET', '/api/status')).body.tunnel.url;
  await openView(page, '/test', 'Send a test');
  const through = page.getByRole('switch', { name: 'Send through the public address' });
  await expect(through).toBeEnabled();
  await through.click();
  await page.getByRole('button', { name: /Email opened/ }).click();
  const result = page.getByTestId('fire-result');
  await expect(result).toContainText('Email opened: received');
  await expect(result).toContainText(`Sent to ${publicUrl}/api/webhooks/email-engagement`);
  // It arrived through the tunnel, and the inbox says so.
  await openView(page, '/events', 'Events');
  await expect(page.getByTestId('request-row').first()).toContainText('From the internet');
});
