import { expect, openView, test } from './fixtures.js';

test.describe('Settings', () => {
  test('shows the ports and data folder; a bad value is refused under its field; a good one is saved', async ({ page, app }) => {
    await openView(page, '/settings', 'Settings');
    const port = new URL(app.receiverUrl).port;
    await expect(page.getByTestId('ports')).toContainText(`127.0.0.1:${port}`);
    await expect(page.getByTestId('ports')).toContainText('Background service (headless)');

    const receiving = page.getByRole('region', { name: 'Receiving' });
    const ips = receiving.getByRole('textbox', { name: 'Only accept from these IP addresses' });
    await ips.fill('203.0.113.7\nnot-an-ip');
    await receiving.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(receiving.locator('.field-error')).toContainText('must be an IP address or CIDR range');
    await expect(ips).toHaveAttribute('aria-invalid', 'true');
    expect((await app.api('GET', '/api/settings')).body.settings.receiver.allowed_ips).toEqual([]);

    await ips.fill('');
    await receiving.getByRole('spinbutton', { name: 'Requests per minute, per sender' }).fill('250');
    await receiving.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByText('Receiving settings saved')).toBeVisible();
    expect((await app.api('GET', '/api/settings')).body.settings.receiver.rate_limit_per_minute).toBe(250);
  });

  test('an endpoint’s signature scheme and secret are saved; the secret stays masked', async ({ page, app }) => {
    await openView(page, '/settings', 'Settings');
    const endpoints = page.getByRole('region', { name: 'Endpoints' });
    await endpoints.getByText('Email opened or clicked').click();
    const item = endpoints.locator('details[open]');
    const check = item.getByRole('combobox', { name: 'Signature check' });
    // The hint says how the chosen scheme reads the secret: Stripe keeps it whole, Standard Webhooks decodes it.
    await check.selectOption('stripe');
    await expect(check).toHaveAccessibleDescription(/The whole whsec_… secret is used exactly as written, prefix included/);
    await check.selectOption('standard-webhooks');
    await expect(check).toHaveAccessibleDescription(/whsec_ followed by base64 .* only the decoded part is the key/);
    await expect.poll(async () => (await app.api('GET', '/api/settings')).body.settings.receiver.endpoints['email-engagement'].signature).toBe('standard-webhooks');
    await item.getByRole('textbox', { name: 'Secret' }).fill('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    await item.getByRole('button', { name: 'Save Secret' }).click();
    await expect(item.getByText('Saved', { exact: true })).toBeVisible();
    expect(await page.content()).not.toContain('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    expect((await app.api('GET', '/api/settings')).body.secrets['webhook.email-engagement'].set).toBe(true);
    // Put it back so other tests can post unsigned engagement events.
    page.once('dialog', (d) => void d.accept());
    await item.getByRole('button', { name: 'Remove' }).click();
    await item.getByRole('combobox', { name: 'Signature check' }).selectOption('auto');
    await expect.poll(async () => (await app.api('GET', '/api/settings')).body.secrets['webhook.email-engagement']).toBeUndefined();
  });

  test('public address: each choice says what it is good for; ngrok asks for its authtoken and domain', async ({ page, app }) => {
    await openView(page, '/settings', 'Settings');
    const section = page.getByRole('region', { name: 'Public address' });
    const choices = section.getByRole('group', { name: 'Live tunnel' });
    for (const name of ['ngrok', 'localtunnel', 'Off']) await expect(choices.getByRole('radio', { name: new RegExp(`^${name}`) })).toBeVisible();
    await expect(choices).toContainText('for Typeform, Tally, Zapier and Make');
    // The run's app is told LEADBELL_TUNNEL=localtunnel, so that is what is chosen.
    await expect(choices.getByRole('radio', { name: /^localtunnel/ })).toBeChecked();

    await choices.getByRole('radio', { name: /^ngrok/ }).check();
    await expect(section.getByRole('textbox', { name: 'Your address name' })).toHaveCount(0);
    await expect(section.getByRole('textbox', { name: 'ngrok authtoken' })).toBeVisible();
    const domain = section.getByRole('textbox', { name: 'Your ngrok domain' });
    await domain.fill('https://bella-salon.ngrok-free.app/');
    await section.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(section.locator('.field-error')).toContainText('must be a domain name like bella-salon.ngrok-free.app');
    await expect(domain).toHaveAttribute('aria-invalid', 'true');

    await domain.fill('bella-salon.ngrok-free.app');
    await section.getByRole('button', { name: 'Save', exact: true }).click();
    // LEADBELL_TUNNEL=localtunnel wins over a saved choice: ngrok is refused, saying why, not "saved".
    await expect(choices.locator('.field-error')).toContainText('This choice is set by an environment variable');
    await expect(page.getByText('Public address settings saved')).toHaveCount(0);
    await choices.getByRole('radio', { name: /^localtunnel/ }).check();
    await section.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByText('Public address settings saved')).toBeVisible();
    const saved = (await app.api('GET', '/api/settings')).body.settings.tunnel;
    expect(saved.ngrok_domain).toBe('bella-salon.ngrok-free.app');
  });

  test('the request log shows its current use, and its retention and size cap are saved', async ({ page, app }) => {
    await openView(page, '/settings', 'Settings');
    const log = page.getByRole('region', { name: 'Request log' });
    const usage = (await app.api('GET', '/api/inbox/usage')).body;
    await expect(log.getByTestId('inbox-usage')).toContainText(`${usage.accepted.rows.toLocaleString('en-US')} ·`);
    await expect(log.getByTestId('inbox-usage')).toContainText('of 100.0 MB');
    const days = log.getByRole('spinbutton', { name: 'Keep rejected requests for (days)' });
    await days.fill('0');
    await expect(log.locator('.field-error')).toContainText('1 or more');
    await days.fill('14');
    await log.getByRole('spinbutton', { name: 'Space for rejected requests (MB)' }).fill('50');
    await log.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByText('Request log settings saved')).toBeVisible();
    await expect(log.getByTestId('inbox-usage')).toContainText('of 50.0 MB');
    expect((await app.api('GET', '/api/settings')).body.settings.inbox).toEqual({ retention_days: 14, max_mb: 50 });
    await app.api('PUT', '/api/settings', { inbox: { retention_days: 30, max_mb: 100 } });
  });

  test('the theme setting switches light and dark and is remembered', async ({ page }) => {
    await openView(page, '/settings', 'Settings');
    const theme = page.getByRole('region', { name: 'App' }).getByRole('combobox', { name: 'Theme' });
    await theme.selectOption('dark');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.getByRole('region', { name: 'App' }).getByRole('combobox', { name: 'Theme' }).selectOption('system');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  });
});
