/**
 * The backlog as the owner sees it: a burst of opt-ins with Loops at its documented 10 requests/s
 * (the fake enforces it with 429s) shows "Sending N welcome emails, … left" with a progress bar
 * on Home and in Run history; the bar moves as Loops takes them, and goes once every email is
 * out, each exactly once.
 */
import { LoopsFake } from '../fakes/loops-fake.js';
import { expect, openView, test, uniqueEmail } from './fixtures.js';

const OPT_INS = 80;

test('a burst of opt-ins shows the welcome-email backlog with its progress on Home and in Run history, until it drains', async ({ page, app }) => {
  test.setTimeout(120_000);
  const loops = await LoopsFake.start();
  try {
    expect((await app.api('PUT', '/api/settings', { integrations: { loops: { base_url: loops.url } } })).status).toBe(200);
    expect((await app.api('PUT', '/api/secrets/integration.loops.api_key', { value: loops.apiKey })).status).toBe(200);
    const emails = Array.from({ length: OPT_INS }, (_, i) => uniqueEmail(`backlog-${i}`));
    const answers = await Promise.all(emails.map((email) => app.webhook('lead-optin', { email, first_name: 'Bea' })));
    expect(answers.map((a) => a.status)).toEqual(emails.map(() => 202));

    const backlog = page.getByRole('region', { name: 'Waiting to be sent' });
    const welcome = backlog.locator('.backlog-item').filter({ hasText: 'welcome emails' });
    const sent = welcome.getByRole('progressbar', { name: 'welcome emails sent' });
    const sentSoFar = async () => Number(await sent.getAttribute('value'));

    await openView(page, '/', /^Good (morning|afternoon|evening)/);
    await expect(welcome).toContainText(/^Sending [\d,]+ welcome emails, (less than a minute left|about \d+ min left|working out how long)$/);
    const first = await sentSoFar();
    // Loops takes ten a second: the bar moves while the owner watches.
    await expect.poll(sentSoFar, { timeout: 20_000 }).toBeGreaterThan(first);

    await openView(page, '/runs', 'Run history');
    await expect(welcome).toContainText(/^Sending [\d,]+ welcome emails/);

    // Drained: the section goes, and every lead got its welcome email once.
    await expect(backlog).toHaveCount(0, { timeout: 60_000 });
    const welcomes = loops.sends.filter((s) => s.kind === 'transactional' && emails.includes(s.email ?? ''));
    expect(new Set(welcomes.map((s) => s.email)).size).toBe(OPT_INS);
    expect(welcomes).toHaveLength(OPT_INS);
  } finally {
    // The app is shared with the other browser tests: Loops is not set up for them.
    await app.api('PUT', '/api/secrets/integration.loops.api_key', { value: null });
    await loops.stop();
  }
});
