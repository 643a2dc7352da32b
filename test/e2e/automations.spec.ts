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
    // The details are picked from the event's fields; the template text is under Advanced.
    await editor.getByText('Advanced: other event names, labels and templates').click();
    const params = editor.getByRole('textbox', { name: 'Details as templates' });
    await params.fill('{"email": ');
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect(params).toHaveAccessibleDescription(/not written correctly \(check the quotes, commas and braces\)/);
    await expect(editor).not.toContainText('position');
    await params.fill('{"email": "{{ event.payload.email }}", "first_name": "{{ event.payload.first_name }}"}');
    await expect(params).not.toHaveAttribute('aria-invalid', 'true');
    await expect(editor.getByRole('combobox', { name: 'Email: taken from' })).toHaveValue('email');

    await editor.getByRole('button', { name: 'Try on past events' }).click();
    const dry = page.getByRole('region', { name: 'Dry run result' });
    await expect(dry).toContainText(/Would have run \d+ times? for the last \d+ events/);
    await expect(dry).toContainText('dry.run@example.com');
    await editor.getByRole('button', { name: 'Cancel' }).click();
    await expect(editor).toHaveCount(0);
  });

  test('an owner sets a segment route, a threshold and a colour without typing JSON or a template; nothing is saved half', async ({ page, app }) => {
    type T = { id: string; name: string; flow: string };
    const triggers = (await app.api('GET', '/api/triggers')).body.items as T[];
    const routing = triggers.find((t) => t.flow === 'segment-routing')!;
    const scoring = triggers.find((t) => t.flow === 'assessment')!;
    const flowSettings = async (name: string) =>
      ((await app.api('GET', '/api/flows')).body.items as { name: string; settings: Record<string, any> }[]).find((f) => f.name === name)!.settings;
    // A segment the owner's leads came with: offered in the segment list.
    expect((await app.webhook('lead-optin', { email: uniqueEmail('bakery'), first_name: 'Bea', segment: 'Bakery' })).status).toBe(202);
    await expect.poll(async () => (await app.api('GET', '/api/segments')).body.items.map((s: { segment: string }) => s.segment)).toContain('bakery');
    try {
      await openView(page, '/automations', 'Automations');
      // One place per automation: the old separate settings list is gone.
      await expect(page.getByRole('region', { name: 'Automation settings' })).toHaveCount(0);

      // A route: a new row, a segment from the list, a follow-up picked from the known ones.
      await page.getByRole('button', { name: `Edit ${routing.name}` }).click();
      let editor = page.getByRole('region', { name: `Edit "${routing.name}"` });
      await expect(editor.getByTestId('segment-route')).toHaveCount(3);
      await editor.getByRole('button', { name: 'Add a segment' }).click();
      const segment = editor.getByRole('combobox', { name: 'Segment 4', exact: true });
      await expect(page.locator(`datalist[id="${await segment.getAttribute("list")}"] option[value="bakery"]`)).toHaveCount(1);
      await segment.fill('bakery');
      const follow = editor.getByRole('combobox', { name: 'Follow-up for segment 4', exact: true });
      await follow.selectOption({ label: 'Another Loops event…' });
      const typed = editor.getByRole('textbox', { name: 'Follow-up for segment 4: Loops event name' });
      await typed.fill('nurture bakery');
      await editor.getByRole('button', { name: 'Save' }).click();
      await expect(follow).toHaveAccessibleDescription(/only letters, digits, "_", "\." or "-" \(no spaces\)/);
      expect((await flowSettings('segment-routing')).nurtures).not.toHaveProperty('bakery');
      await typed.fill('nurture_bakery');
      await editor.getByRole('button', { name: 'Save' }).click();
      await expect(page.getByText('Automation saved')).toBeVisible();
      expect((await flowSettings('segment-routing')).nurtures).toMatchObject({ bakery: 'nurture_bakery', fitness: 'nurture_fitness' });
      await expect(page.getByTestId('trigger-row').filter({ hasText: routing.name }).getByTestId('flow-description')).toContainText('fitness, bakery, else general');

      // A threshold as a sentence, a colour from a picker, an alert channel as a checkbox.
      await page.getByRole('button', { name: `Edit ${scoring.name}` }).click();
      editor = page.getByRole('region', { name: `Edit "${scoring.name}"` });
      const hot = editor.getByRole('spinbutton', { name: 'A quiz score of … or more is Hot' });
      const warm = editor.getByRole('spinbutton', { name: 'A quiz score of … or more is Warm' });
      await expect(hot).toHaveValue('80');
      await warm.fill('95');
      await editor.getByRole('button', { name: 'Save' }).click();
      await expect(warm).toHaveAccessibleDescription('The Warm score (95) must not be above the Hot score (80)');
      await expect(editor).not.toContainText('hot_threshold');
      // Valid settings with an automation that cannot be saved: neither is saved.
      await warm.fill('50');
      await hot.fill('90');
      await editor.getByRole('textbox', { name: 'Name', exact: true }).fill('');
      await editor.getByRole('button', { name: 'Save' }).click();
      await expect(editor.getByRole('textbox', { name: 'Name', exact: true })).toHaveAccessibleDescription('Give the automation a name');
      expect((await flowSettings('assessment')).hot_threshold).toBe(80);
      await editor.getByRole('textbox', { name: 'Name', exact: true }).fill(scoring.name);
      await editor.getByLabel('Colour of the Discord alert').fill('#00aa55');
      await editor.getByRole('checkbox', { name: 'A desktop alert on this computer' }).uncheck();
      await editor.getByRole('button', { name: 'Save' }).click();
      await expect(page.getByText('Automation saved').first()).toBeVisible();
      await expect.poll(async () => (await flowSettings('assessment')).hot_threshold).toBe(90);
      expect(await flowSettings('assessment')).toMatchObject({ hot_alert_color: 0x00aa55, hot_alert_channels: ['discord'], warm_threshold: 50 });
      await expect(page.getByTestId('trigger-row').filter({ hasText: scoring.name }).getByTestId('flow-description')).toContainText('90 and up is hot');
    } finally {
      await app.api('PUT', '/api/settings', {
        flows: {
          'segment-routing': { nurtures: { 'beauty-salon': 'nurture_beauty_salon', 'auto-repair': 'nurture_auto_repair', fitness: 'nurture_fitness' } },
          assessment: { hot_threshold: 80, warm_threshold: 50, hot_alert_color: 0xff0000, hot_alert_channels: ['discord', 'desktop'] },
        },
      });
    }
  });

  test('the hot score shows the same number on Automations, Home and the lead page at once', async ({ page, app }) => {
    const email = uniqueEmail('same-number');
    expect((await app.webhook('assessment', { email, first_name: 'Sam', score: 85 })).status).toBe(202);
    let leadId = '';
    await expect.poll(async () => (leadId = (await app.api('GET', `/api/leads?q=${encodeURIComponent(email)}`)).body.items[0]?.id ?? '')).not.toBe('');
    const pages = { automations: page, home: await page.context().newPage(), lead: await page.context().newPage() };
    await openView(pages.automations, '/automations', 'Automations');
    await openView(pages.home, '/', /Good/);
    await openView(pages.lead, `/leads/${leadId}`, /Sam/);
    const shown = {
      automations: pages.automations.getByTestId('flow-description').filter({ hasText: 'Scores the quiz' }).first(),
      home: pages.home.getByRole('region', { name: 'Quiz scores' }),
      lead: pages.lead.getByTestId('score-bands'),
    };
    await expect(shown.automations).toContainText('80 and up is hot');
    await expect(shown.home).toContainText('80 and up is hot');
    await expect(shown.lead).toContainText('80 and up is hot');
    try {
      // Changed once: every open view follows, without a reload.
      expect((await app.api('PUT', '/api/settings', { flows: { assessment: { hot_threshold: 90 } } })).status).toBe(200);
      await expect(shown.automations).toContainText('90 and up is hot');
      await expect(shown.home).toContainText('90 and up is hot');
      await expect(shown.lead).toContainText('90 and up is hot');
    } finally {
      await app.api('PUT', '/api/settings', { flows: { assessment: { hot_threshold: 80 } } });
      await pages.home.close();
      await pages.lead.close();
    }
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
    await expect(editor.getByRole('combobox', { name: 'Visitor id: taken from' })).toHaveValue('visitor_id');
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
    await editor.getByText('Advanced: other event names, labels and templates').click();
    const params = editor.getByRole('textbox', { name: 'Details as templates' });
    await params.fill('{"first_name": "{{ event.payload.name }}"}');
    await editor.getByRole('combobox', { name: 'Run this automation' }).selectOption({ label: 'Lead opt-in' });
    await expect(params).toHaveValue('{"first_name": "{{ event.payload.name }}"}');
    await expect(editor.getByRole('checkbox', { name: 'Signed up' })).toBeChecked();
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect(params).toHaveAccessibleDescription(/Lead opt-in cannot run without email: every run would fail\./);
    // The owner's own field stays picked; the missing detail is picked from the event.
    await expect(editor.getByRole('combobox', { name: 'First name: taken from' })).toHaveValue('name');
    await editor.getByRole('combobox', { name: 'Email: taken from' }).selectOption({ label: 'Email' });
    await expect(params).toHaveValue(/"first_name": "\{\{ event\.payload\.name \}\}"/);
    await expect(params).toHaveValue(/"email": "\{\{ event\.payload\.email \}\}"/);
    await expect(params).not.toHaveAttribute('aria-invalid', 'true');
    await editor.getByRole('button', { name: 'Cancel' }).click();
  });
});
