import fs from 'node:fs';
import { expect, openView, skipUnlessAvailable, test, uniqueEmail } from './fixtures.js';

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
  test('a new automation made from a flow and a name runs on that flow\'s events, and not on others', async ({ page, app }) => {
    await skipUnlessAvailable(app, 'GET', '/api/runs');
    await openView(page, '/automations', 'Automations');
    await page.getByRole('button', { name: 'New automation' }).click();
    const editor = page.getByRole('region', { name: 'New automation' });
    const name = `Pricing visits ${Date.now()}`;
    await editor.getByRole('combobox', { name: 'Run this automation' }).selectOption({ label: 'Sales-page visit' });
    // The flow brings its usual events and details.
    await expect(editor.getByRole('checkbox', { name: 'Visited the sales page' })).toBeChecked();
    await expect(editor.getByRole('checkbox', { name: 'Signed up' })).not.toBeChecked();
    await expect(editor.getByTestId('only-for')).toHaveText('Only for: site visitors');
    await expect(editor.getByRole('textbox', { name: 'Details passed to the automation' })).toHaveValue(/"visitor_id": "\{\{ event\.payload\.visitor_id \}\}"/);
    await editor.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Automation created')).toBeVisible();
    await expect(page.getByRole('switch', { name })).toBeVisible();
    await expect(page.getByTestId('trigger-row').filter({ hasText: name })).toContainText('Visited the sales page → Sales-page visit');
    const created = (await app.api('GET', '/api/triggers')).body.items.find((t: { name: string }) => t.name === name) as { id: string };

    type RunRow = { id: string; trigger_id: string | null; flow: string; status: string; parameters: Record<string, unknown> };
    const runs = async () => (await app.api('GET', '/api/runs?limit=1000')).body.items as RunRow[];
    const ours = async () => (await runs()).filter((r) => r.trigger_id === created.id);

    // An unrelated event (a sign-up): the built-in automations run on it, this one does not.
    const email = uniqueEmail('not-a-visit');
    expect((await app.webhook('lead-optin', { email, first_name: 'Sig' })).status).toBe(202);
    await expect.poll(async () => (await runs()).some((r) => r.flow === 'lead-optin' && r.parameters.email === email)).toBe(true);
    expect(await ours()).toEqual([]);

    // A matching event: it runs, with the details taken from the event, and succeeds.
    const visitor = `v-${Date.now().toString(36)}`;
    expect((await app.webhook('sales-page-visit', { visitor_id: visitor, page_url: 'https://shop.example/pricing', duration: 42 })).status).toBe(202);
    await expect.poll(async () => (await ours()).map((r) => r.status)).toEqual(['completed']);
    const [run] = await ours();
    expect(run!.parameters).toMatchObject({ visitor_id: visitor, page_url: 'https://shop.example/pricing', duration: 42 });
    const steps = (await app.api('GET', `/api/runs/${run!.id}`)).body.steps as { name: string; status: string }[];
    expect(steps.find((s) => s.name === 'record_visit')?.status).toBe('completed');
    expect(steps.map((s) => s.name)).not.toContain('check_parameters');
    await app.api('DELETE', `/api/triggers/${created.id}`);
  });

  test('a new automation without a name, events or the details its flow needs says so in plain words', async ({ page }) => {
    await openView(page, '/automations', 'Automations');
    await page.getByRole('button', { name: 'New automation' }).click();
    const editor = page.getByRole('region', { name: 'New automation' });
    const nameBox = editor.getByRole('textbox', { name: 'Name', exact: true });
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect(nameBox).toHaveAttribute('aria-invalid', 'true');
    await expect(nameBox).toHaveAccessibleDescription('Give the automation a name');
    await expect(editor).not.toContainText('Too small');
    await expect(editor).not.toContainText('expected string');

    // Nothing ticked: it must not quietly run on every event.
    await nameBox.fill('Everything to my webhook');
    await editor.getByRole('combobox', { name: 'Run this automation' }).selectOption({ label: 'Forward to a webhook' });
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect(editor.getByRole('alert').filter({ hasText: 'Choose at least one event, or tick "Any event"' })).toBeVisible();
    await editor.getByRole('checkbox', { name: 'Any event' }).check();
    await expect(editor.getByRole('status').filter({ hasText: 'Runs on every event' })).toBeVisible();
    await expect(editor.getByRole('checkbox', { name: 'Signed up' })).toBeDisabled();

    // Back to a flow that needs an email, with the owner's own details: they are kept, and the gap is named.
    await editor.getByRole('checkbox', { name: 'Any event' }).uncheck();
    const params = editor.getByRole('textbox', { name: 'Details passed to the automation' });
    await params.fill('{"first_name": "{{ event.payload.name }}"}');
    await editor.getByRole('combobox', { name: 'Run this automation' }).selectOption({ label: 'Lead opt-in' });
    await expect(params).toHaveValue('{"first_name": "{{ event.payload.name }}"}');
    await expect(editor.getByRole('checkbox', { name: 'Signed up' })).toBeChecked();
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect(params).toHaveAccessibleDescription(/Lead opt-in cannot run without email: every run would fail\./);
    await editor.getByRole('button', { name: 'Fill in the usual details' }).click();
    await expect(params).toHaveValue(/"first_name": "\{\{ event\.payload\.name \}\}"/);
    await expect(params).toHaveValue(/"email": "\{\{ event\.payload\.email \}\}"/);
    await expect(params).not.toHaveAttribute('aria-invalid', 'true');
    await editor.getByRole('button', { name: 'Cancel' }).click();
  });
});
