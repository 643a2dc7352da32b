/**
 * Forwarding to Prefect as the owner sees it on the Connected apps card, against the contract
 * fake of Prefect's events API: a refused auth string, a refused event (422), a server error and
 * an unreachable server each read differently (and /api/status says the same), events wait
 * meanwhile, and forwarding resumes once the cause is fixed.
 */
import { PrefectFake } from '../fakes/prefect-fake.js';
import { expect, openView, test } from './fixtures.js';

const AUTH = 'leadbell:e2e-password';

test('the Prefect card shows auth failure, a refused event, a server error and an unreachable server, then recovers', async ({ page, app }) => {
  test.setTimeout(150_000);
  const fake = await PrefectFake.start({ authString: AUTH });
  const state = async () => (await app.api('GET', '/api/status')).body.prefect.state as string;
  const optin = (tag: string) => app.webhook('lead-optin', { email: `prefect-${tag}@example.com`, first_name: 'Pre' });
  try {
    await openView(page, '/apps', 'Connected apps');
    const card = page.getByRole('region', { name: 'Prefect' });
    await card.getByRole('textbox', { name: 'Server URL (PREFECT_API_URL)' }).fill(fake.apiUrl);
    await card.getByRole('button', { name: 'Save options for Prefect' }).click();
    await expect(page.getByText('Prefect: saved')).toBeVisible();
    await card.getByRole('textbox', { name: 'Auth string (self-hosted)' }).fill('leadbell:wrong');
    await card.getByRole('button', { name: 'Save Prefect auth string (self-hosted)' }).click();
    const status = card.getByTestId('prefect-forwarder');

    await optin('auth');
    await expect(status).toHaveAttribute('data-state', 'auth_failed', { timeout: 30_000 });
    await expect(status).toContainText('Stopped: Prefect refused the credentials');
    expect(await state()).toBe('auth_failed');
    expect(fake.events.size).toBe(0);
    expect(await page.content()).not.toContain('leadbell:wrong');

    page.once('dialog', (d) => void d.accept());
    await card.getByRole('button', { name: 'Remove Prefect auth string (self-hosted)' }).click();
    await card.getByRole('textbox', { name: 'Auth string (self-hosted)' }).fill(AUTH);
    await card.getByRole('button', { name: 'Save Prefect auth string (self-hosted)' }).click();
    await expect(status).toHaveAttribute('data-state', 'connected', { timeout: 45_000 });
    await expect(status).toContainText('Sending events');
    await expect.poll(() => fake.events.size, { timeout: 30_000 }).toBeGreaterThan(0);
    // The card shows the last answer's state: the refusal is sent once nothing else is on its way,
    // or a later success would rightly read "connected" again.
    const backlog = async () => (await app.api('GET', '/api/status')).body.prefect.backlog as { waiting: number; failed: number };
    await expect.poll(async () => (await backlog()).waiting, { timeout: 30_000 }).toBe(0);

    fake.refuse((e) => e.payload.email === 'prefect-refused@example.com', 'Value error, refused by this server');
    await optin('refused');
    await expect(status).toHaveAttribute('data-state', 'rejected', { timeout: 30_000 });
    await expect(status).toContainText('refused by this server');
    expect(await state()).toBe('rejected');
    expect((await backlog()).failed).toBe(1);
    fake.refuse(null);

    fake.setOutage(503);
    await optin('outage');
    await expect(status).toHaveAttribute('data-state', 'server_error', { timeout: 30_000 });
    await expect(status).toContainText('Prefect is answering with errors');
    expect(await state()).toBe('server_error');
    fake.setOutage(null);
    await expect(status).toHaveAttribute('data-state', 'connected', { timeout: 45_000 });
    // The badge is back to "Sending events", but the refused event stays in view, one click from its run.
    const refused = card.getByTestId('prefect-refused');
    await expect(refused).toContainText('Prefect refused 1 event');
    await refused.getByRole('link', { name: 'See them in Run history' }).click();
    await expect(page).toHaveURL(/#\/runs\?(?=.*flow=prefect)(?=.*status=failed)/);
    await expect(page.getByRole('heading', { level: 1, name: 'Run history' })).toBeVisible();
    await expect(page.getByTestId('run-row')).toHaveCount(1);
    await openView(page, '/apps', 'Connected apps');

    await card.getByRole('textbox', { name: 'Server URL (PREFECT_API_URL)' }).fill('http://127.0.0.1:9/api');
    await card.getByRole('button', { name: 'Save options for Prefect' }).click();
    await optin('unreachable');
    await expect(status).toHaveAttribute('data-state', 'unreachable', { timeout: 30_000 });
    await expect(status).toContainText('Prefect cannot be reached');
    expect(await state()).toBe('unreachable');
    await openView(page, '/', /^Good (morning|afternoon|evening)/);
    await expect(page.getByTestId('prefect-backlog')).toContainText('wait for Prefect', { timeout: 15_000 });

    await openView(page, '/apps', 'Connected apps');
    await card.getByRole('textbox', { name: 'Server URL (PREFECT_API_URL)' }).fill(fake.apiUrl);
    await card.getByRole('button', { name: 'Save options for Prefect' }).click();
    await expect(status).toHaveAttribute('data-state', 'connected', { timeout: 45_000 });
    await expect.poll(async () => (await app.api('GET', '/api/status')).body.prefect.backlog.waiting, { timeout: 30_000 }).toBe(0);
    expect([...fake.events.values()].map((e) => e.payload.email)).toEqual(
      expect.arrayContaining(['prefect-auth@example.com', 'prefect-outage@example.com', 'prefect-unreachable@example.com']),
    );
    expect([...fake.events.values()].some((e) => e.payload.email === 'prefect-refused@example.com')).toBe(false);
  } finally {
    // The app is shared with the other browser tests: stop forwarding.
    await app.api('PUT', '/api/settings', { integrations: { prefect: { enabled: false } } });
    await fake.stop();
  }
});
