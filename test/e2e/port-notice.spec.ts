/**
 * Settings tells the owner when a taken port made Leadbell listen elsewhere. The status comes from
 * the running app with its port notice filled in as a moved start would fill it (the move itself
 * is tested with a really occupied port in test/launch/taken-port.test.ts).
 */
import { expect, openView, screenshot, test } from './fixtures.js';

const NOTICE =
  'Port 4747 was in use by another Leadbell (the desktop app or the background service), so Leadbell receives webhooks at http://127.0.0.1:51234/api/webhooks/… instead (kept for next time). Your public address is unchanged.';

for (const theme of ['light', 'dark'] as const) {
  for (const width of [1280, 800]) {
    test(`Settings says which port moved and why (${theme}, ${width}px)`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: theme });
      await page.setViewportSize({ width, height: 900 });
      await page.route('**/api/status', async (route) => {
        const res = await route.fetch();
        const status = await res.json();
        await route.fulfill({ response: res, json: { ...status, receiver: { ...status.receiver, port: 51234, port_notice: NOTICE } } });
      });
      await openView(page, '/settings', 'Settings');
      const notice = page.getByRole('status').filter({ hasText: 'Leadbell moved to a free port' });
      await expect(notice).toContainText(NOTICE);
      await expect(page.getByTestId('ports')).toContainText(':51234');
      const box = (await notice.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(width);
      await screenshot(page, `settings-port-notice-${theme}-${width}`);
    });
  }
}
