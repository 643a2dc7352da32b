import net from 'node:net';
import { DiscordFake } from '../fakes/discord-fake.js';
import { expect, openView, screenshot, test } from './fixtures.js';

const DISCORD_SECRET = 'integration.discord.webhook_url';

/** An http URL on a loopback port nothing listens on. */
async function closedPortUrl(path: string): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return `http://127.0.0.1:${port}${path}`;
}

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
    // Saved, but nothing has gone through yet: "Connected" only once a call has.
    await expect(card.getByText('Set up, not used yet', { exact: true })).toBeVisible();
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
      await expect(page.getByRole('region', { name: 'Discord' }).getByText('Connected', { exact: true })).toBeVisible();
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
    await expect(discordCard.getByText('Connected', { exact: true })).toBeVisible();
    expect((await app.api('GET', '/api/settings')).body.secrets['integration.discord.webhook_url']?.set).toBe(true);
    page.once('dialog', (d) => void d.accept());
    await discordCard.getByRole('button', { name: 'Remove Discord webhook URL' }).click();
    await expect(discordCard.getByText('Not set up')).toBeVisible();
    expect((await app.api('GET', '/api/settings')).body.secrets['integration.discord.webhook_url']?.set ?? false).toBe(false);
  } finally {
    await discord.stop();
  }
});

test('a Discord webhook URL that is not an address is refused next to the field, and nothing is saved', async ({ page, app }) => {
  await openView(page, '/apps', 'Connected apps');
  const card = page.getByRole('region', { name: 'Discord' });
  const field = card.getByRole('textbox', { name: 'Webhook URL' });
  await field.fill('hello');
  await card.getByRole('button', { name: 'Save Discord webhook URL' }).click();

  const why = 'Discord webhook URL must be an http:// or https:// address';
  await expect(card.getByRole('alert')).toHaveText(why);
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAccessibleDescription(new RegExp(why));
  await expect(field).toHaveValue('hello');
  await expect(card.getByText('Not set up')).toBeVisible();
  await expect(card.getByText('Connected', { exact: true })).toHaveCount(0);
  await expect(card.getByText('Saved', { exact: true })).toHaveCount(0);
  expect((await app.api('GET', '/api/settings')).body.secrets[DISCORD_SECRET]?.set ?? false).toBe(false);
  const refused = await app.api('PUT', `/api/secrets/${DISCORD_SECRET}`, { value: 'hello' });
  expect(refused.status).toBe(400);
  expect(refused.body.error.message).toBe(why);

  // Editing the value clears the refusal, which was about the old one.
  await field.fill('https://discord.com/api/webhooks/1/x');
  await expect(card.getByRole('alert')).toHaveCount(0);
  await expect(field).not.toHaveAttribute('aria-invalid', 'true');
});

test('a test answer goes away once the secret it was sent with is replaced or removed', async ({ page, app }) => {
  const discord = await DiscordFake.start();
  try {
    expect((await app.api('PUT', `/api/secrets/${DISCORD_SECRET}`, { value: discord.webhookUrl })).status).toBe(200);
    await openView(page, '/apps', 'Connected apps');
    const card = page.getByRole('region', { name: 'Discord' });
    const answer = page.getByTestId('test-answer-discord');
    const sendTest = card.getByRole('button', { name: 'Send test to Discord' });
    const replace = async (value: string) => {
      await card.getByRole('button', { name: 'Replace Discord webhook URL' }).click();
      await card.getByRole('textbox', { name: 'Webhook URL' }).fill(value);
      await card.getByRole('button', { name: 'Save Discord webhook URL' }).click();
      await expect(card.getByText('Saved', { exact: true })).toBeVisible();
    };

    await sendTest.click();
    await expect(answer).toContainText('Discord accepted the test (HTTP 204)');

    // A wrong token: Discord answers, with an error.
    await replace(discord.webhookUrl.replace(discord.token, 'wrong-token'));
    await expect(answer).toHaveCount(0);
    await sendTest.click();
    // In the words every view uses for a refused key; the card turns to "Key refused".
    await expect(answer).toContainText('Discord refused the webhook URL (HTTP 401)');
    await expect(card.getByText('Key refused: update the key')).toBeVisible();

    // Nothing listening: no answer at all, which is not a refusal.
    await replace(await closedPortUrl('/api/webhooks/1/token'));
    await expect(answer).toHaveCount(0);
    await sendTest.click();
    await expect(answer).toContainText('Discord could not be reached');
    await expect(answer).not.toContainText('refused');
    await expect(answer).toContainText('Discord could not be reached: ');

    page.once('dialog', (d) => void d.accept());
    await card.getByRole('button', { name: 'Remove Discord webhook URL' }).click();
    await expect(card.getByText('Not set up')).toBeVisible();
    await expect(answer).toHaveCount(0);
  } finally {
    await app.api('PUT', `/api/secrets/${DISCORD_SECRET}`, { value: null });
    await discord.stop();
  }
});

test('at 1280 px every card keeps its fields and hints inside it, long addresses wrapping', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await openView(page, '/apps', 'Connected apps');
  const prefect = page.getByRole('region', { name: 'Prefect' });
  await expect(prefect.getByText('https://api.prefect.cloud/api/accounts/<account>/workspaces/<workspace>', { exact: false })).toBeVisible();
  const cards = page.locator('.integration');
  expect(await cards.count()).toBe(7);
  for (const card of await cards.all()) {
    const sticking = await card.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const out = [...el.querySelectorAll('*')].filter((c) => c.getBoundingClientRect().right > box.right + 0.5);
      return { scroll: el.scrollWidth - el.clientWidth, out: out.map((c) => c.outerHTML.slice(0, 80)) };
    });
    expect(sticking, await card.getAttribute('aria-labelledby') ?? '').toEqual({ scroll: 0, out: [] });
  }
  const input = prefect.getByRole('textbox', { name: 'Server URL (PREFECT_API_URL)' });
  const [inputBox, cardBox] = [await input.boundingBox(), await prefect.boundingBox()];
  expect(inputBox!.x + inputBox!.width).toBeLessThanOrEqual(cardBox!.x + cardBox!.width);
});
