import { DiscordFake } from '../fakes/discord-fake.js';
import { expect, openView, screenshot, test } from './fixtures.js';

test('integration secrets are saved, shown only masked, and "Send test" shows the vendor’s answer', async ({ page, app }) => {
  // The shared Discord fake enforces Discord's documented webhook contract.
  const discord = await DiscordFake.start();
  try {
    await openView(page, '/apps', 'Connected apps');
    const card = page.getByRole('region', { name: 'Discord' });
    await expect(card.getByText('Not set up')).toBeVisible();
    await card.getByRole('textbox', { name: 'Webhook URL' }).fill(discord.webhookUrl);
    await card.getByRole('button', { name: 'Save Discord webhook URL' }).click();

    await expect(card.getByText('Saved', { exact: true })).toBeVisible();
    await expect(card.getByText('Connected')).toBeVisible();
    await expect(card.getByLabel('Discord webhook URL is saved')).toHaveText('••••••••••');
    // The secret is nowhere in the page, nor in the API's answer, even after a reload.
    expect(await page.content()).not.toContain(discord.token);
    await page.reload();
    await expect(page.getByRole('region', { name: 'Discord' }).getByText('Saved', { exact: true })).toBeVisible();
    expect(await page.content()).not.toContain(discord.token);
    const settings = await app.api('GET', '/api/settings');
    expect(settings.body.secrets['integration.discord.webhook_url']).toEqual({ set: true, from_env: false });
    expect(JSON.stringify(settings.body)).not.toContain(discord.token);

    const probe = await app.api('POST', '/api/integrations/discord/test', {});
    if (probe.status === 503) {
      await page.getByRole('region', { name: 'Discord' }).getByRole('button', { name: 'Send test to Discord' }).click();
      await expect(page.getByTestId('test-answer-discord')).toContainText('not available');
    } else {
      const before = discord.messages.length;
      await page.getByRole('region', { name: 'Discord' }).getByRole('button', { name: 'Send test to Discord' }).click();
      const answer = page.getByTestId('test-answer-discord');
      await expect(answer).toContainText('Discord accepted the test (HTTP 204)');
      expect(discord.messages.length).toBeGreaterThan(before);
    }
    await screenshot(page, 'connected-apps-saved-light');

    // Plain options are saved next to it, in the settings.
    const hook = page.getByRole('region', { name: 'Your own webhook' });
    await hook.getByRole('textbox', { name: 'Send to' }).fill('https://crm.example.com/leadbell');
    await hook.getByRole('button', { name: 'Save options for Your own webhook' }).click();
    await expect(page.getByText('Your own webhook: saved')).toBeVisible();
    expect((await app.api('GET', '/api/settings')).body.settings.integrations.webhook.url).toBe('https://crm.example.com/leadbell');

    // Removing the secret asks first: saying no keeps it, saying yes brings the empty field back.
    const discordCard = page.getByRole('region', { name: 'Discord' });
    const question = new Promise<string>((resolve) =>
      page.once('dialog', (d) => {
        resolve(d.message());
        void d.dismiss();
      }),
    );
    await discordCard.getByRole('button', { name: 'Remove Discord webhook URL' }).click();
    expect(await question).toMatch(/^Remove the Discord webhook URL\?/);
    await expect(discordCard.getByText('Connected')).toBeVisible();
    expect((await app.api('GET', '/api/settings')).body.secrets['integration.discord.webhook_url']?.set).toBe(true);
    page.once('dialog', (d) => void d.accept());
    await discordCard.getByRole('button', { name: 'Remove Discord webhook URL' }).click();
    await expect(discordCard.getByText('Not set up')).toBeVisible();
    expect((await app.api('GET', '/api/settings')).body.secrets['integration.discord.webhook_url']?.set ?? false).toBe(false);
  } finally {
    await discord.stop();
  }
});
