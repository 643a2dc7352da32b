import fs from 'node:fs';
import { expect, openView, skipUnlessAvailable, test } from './fixtures.js';

test.describe('Automations', () => {
  test.beforeEach(async ({ app }) => {
    await skipUnlessAvailable(app, 'GET', '/api/triggers');
  });

  test('a trigger is switched off and on again', async ({ page, app }) => {
    await openView(page, '/automations', 'Automations');
    const first = (await app.api('GET', '/api/triggers')).body.items[0] as { id: string; name: string };
    const toggle = page.getByRole('switch', { name: first.name });
    await expect(toggle).toHaveAttribute('aria-checked', 'true');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-checked', 'false');
    await expect.poll(async () => (await app.api('GET', '/api/triggers')).body.items.find((t: { id: string }) => t.id === first.id).enabled).toBe(false);
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-checked', 'true');
    await expect.poll(async () => (await app.api('GET', '/api/triggers')).body.items.find((t: { id: string }) => t.id === first.id).enabled).toBe(true);
  });

  test('the trigger editor shows problems per field and a dry run over stored events', async ({ page, app }) => {
    await app.webhook('lead-optin', { email: 'dry.run@example.com', first_name: 'Dora' });
    await openView(page, '/automations', 'Automations');
    await page.getByRole('button', { name: 'New automation' }).click();
    const editor = page.getByRole('region', { name: 'New automation' });
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect(editor.getByRole('textbox', { name: 'Name', exact: true })).toHaveAttribute('aria-invalid', 'true');

    await editor.getByRole('textbox', { name: 'Name', exact: true }).fill('Test: sign-ups to Slack');
    await editor.getByRole('checkbox', { name: 'Signed up' }).check();
    const params = editor.getByRole('textbox', { name: 'Details passed to the automation' });
    await params.fill('{"email": ');
    await expect(editor.locator('.field-error')).toContainText('is not valid JSON');
    await params.fill('{"email": "{{ event.payload.email }}", "first_name": "{{ event.payload.first_name }}"}');
    await expect(params).not.toHaveAttribute('aria-invalid', 'true');

    await editor.getByRole('button', { name: 'Try on past events' }).click();
    const dry = page.getByRole('region', { name: 'Dry run result' });
    await expect(dry).toContainText(/Would have run \d+ times? for the last \d+ events/);
    await expect(dry).toContainText('dry.run@example.com');
    await editor.getByRole('button', { name: 'Cancel' }).click();
    await expect(editor).toHaveCount(0);
  });

  test('flow settings are validated by the core and errors land under the field', async ({ page, app }) => {
    await openView(page, '/automations', 'Automations');
    const flows = (await app.api('GET', '/api/flows')).body.items as { name: string; title: string; settings: Record<string, unknown> }[];
    const assessment = flows.find((f) => 'warm_threshold' in f.settings)!;
    const settings = page.getByRole('region', { name: 'Automation settings' });
    await settings.getByText(assessment.title, { exact: true }).click();
    const warm = settings.getByRole('spinbutton', { name: 'Warm threshold' });
    await warm.fill('95');
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await expect(warm).toHaveAttribute('aria-invalid', 'true');
    await expect(settings.locator('.field-error')).toContainText('must not be above hot_threshold');
    await warm.fill('55');
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText(`${assessment.title}: settings saved`)).toBeVisible();
    expect((await app.api('GET', '/api/flows')).body.items.find((f: { name: string }) => f.name === assessment.name).settings.warm_threshold).toBe(55);
    await warm.fill('50');
    await settings.getByRole('button', { name: 'Save settings' }).click();
  });

  test('export for Prefect downloads a prefect.yaml; an import asks for the flow, previews, and creates the trigger', async ({ page, app }) => {
    await openView(page, '/automations', 'Automations');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export for Prefect' }).click()]);
    expect(download.suggestedFilename()).toBe('prefect.yaml');
    const exported = fs.readFileSync((await download.path())!, 'utf8');
    expect(exported).toContain('deployments:');
    expect(exported).toContain('prefect.resource.id: lead.*');

    await page.getByRole('button', { name: 'Import from Prefect' }).click();
    const card = page.getByRole('region', { name: 'Import from Prefect' });
    const name = `Imported router ${Date.now()}`;
    await card.getByRole('textbox', { name: 'prefect.yaml, or one trigger' }).fill(
      `deployments:\n  - name: my-router\n    triggers:\n      - name: ${name}\n        expect: [lead.opted_in]\n        match: {prefect.resource.id: "lead.*"}\n        parameters: {email: "{{ event.payload.email }}", segment: "{{ event.payload.segment }}"}\n`,
    );
    await card.getByRole('button', { name: 'Check' }).click();
    await expect(card.getByRole('alert').first()).toContainText('which Leadbell flow runs deployment "my-router"?');
    const flows = (await app.api('GET', '/api/flows')).body.items as { name: string; title: string }[];
    await card.getByRole('combobox', { name: 'Leadbell flow for the deployment "my-router"' }).selectOption({ label: flows.find((f) => f.name === 'segment-routing')!.title });
    await card.getByRole('button', { name: 'Check' }).click();
    await expect(card.getByRole('region', { name: 'Import preview' })).toContainText('1 automation to create or update');
    await card.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(card).toHaveCount(0);
    await expect(page.getByRole('switch', { name })).toBeVisible();
    const created = (await app.api('GET', '/api/triggers')).body.items.find((t: { name: string }) => t.name === name) as { id: string; flow: string };
    expect(created.flow).toBe('segment-routing');
    await app.api('DELETE', `/api/triggers/${created.id}`);
  });
});
