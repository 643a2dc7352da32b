import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UI_CSP } from '../../electron/core/admin/ui-assets.js';
import { resolveAppFile, serveAppRequest } from '../../electron/shell/app-protocol.js';
import { allowPermission, externalUrl, guardNavigation, hardenedWindowOptions, type NavigationEvents } from '../../electron/shell/window.js';
import { tempDir } from '../helpers/core.js';

/** Records the guards the window installs and lets a test fire navigation events at them. */
function fakeContents() {
  let navigate: Parameters<NavigationEvents['onNavigate']>[0] = () => undefined;
  let open: Parameters<NavigationEvents['onWindowOpen']>[0] = () => ({ action: 'deny' });
  let attach: Parameters<NavigationEvents['onAttachWebview']>[0] = () => undefined;
  const opened: string[] = [];
  guardNavigation(
    {
      onNavigate: (l) => (navigate = l),
      onWindowOpen: (h) => (open = h),
      onAttachWebview: (l) => (attach = l),
    },
    (url) => opened.push(url),
  );
  const fire = (fn: (e: { preventDefault(): void }) => void) => {
    let prevented = false;
    fn({ preventDefault: () => (prevented = true) });
    return prevented;
  };
  return {
    opened,
    navigate: (url: string) => fire((e) => navigate(e, url)),
    open: (url: string) => open(url),
    attachWebview: () => fire((e) => attach(e)),
  };
}

describe('the main window', () => {
  it('is created with the hardened options of the security checklist', () => {
    const opts = hardenedWindowOptions('/app/dist/electron/preload.cjs');
    expect(opts.webPreferences).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(opts.show).toBe(false);
  });

  it('stays on the app: other navigation is stopped, web links go to the browser, nothing else opens', () => {
    const c = fakeContents();
    expect(c.navigate('app://leadbell/index.html#/leads')).toBe(false);
    expect(c.navigate('https://loops.so/docs')).toBe(true);
    expect(c.navigate('file:///etc/passwd')).toBe(true);
    expect(c.navigate('javascript:alert(1)')).toBe(true);
    expect(c.opened).toEqual(['https://loops.so/docs']);
  });

  it('denies window.open, sending only http(s) links to the browser', () => {
    const c = fakeContents();
    expect(c.open('https://discord.com/developers')).toEqual({ action: 'deny' });
    expect(c.open('smb://fileserver/share')).toEqual({ action: 'deny' });
    expect(c.open('app://leadbell/index.html')).toEqual({ action: 'deny' });
    expect(c.opened).toEqual(['https://discord.com/developers']);
    expect(c.attachWebview()).toBe(true);
  });

  it('opens only http(s) URLs externally', () => {
    expect(externalUrl('http://example.com/a')).toBe('http://example.com/a');
    expect(externalUrl('https://example.com')).toBe('https://example.com/');
    for (const bad of ['file:///c:/windows', 'javascript:void(0)', 'ms-settings:', 'not a url', 'data:text/html,hi']) {
      expect(externalUrl(bad)).toBeNull();
    }
  });

  it('grants no permission but writing to the clipboard', () => {
    expect(allowPermission('clipboard-sanitized-write')).toBe(true);
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'fullscreen']) expect(allowPermission(p)).toBe(false);
  });
});

describe('the app:// protocol', () => {
  const root = tempDir('leadbell-ui-');
  fs.mkdirSync(path.join(root, 'assets'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Leadbell</title>');
  fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(path.dirname(root), 'outside-secret.txt'), 'secret');

  it('serves the UI with the strict CSP', async () => {
    const res = await serveAppRequest(root, 'app://leadbell/index.html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(UI_CSP);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toContain('<title>Leadbell</title>');
    const js = await serveAppRequest(root, 'app://leadbell/assets/app.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await serveAppRequest(root, 'app://leadbell/')).status).toBe(200);
  });

  it('never serves anything outside the UI folder, or for another host', async () => {
    for (const url of [
      'app://leadbell/../outside-secret.txt',
      'app://leadbell/%2e%2e/outside-secret.txt',
      'app://leadbell/..%2Foutside-secret.txt',
      'app://other/index.html',
      'https://leadbell/index.html',
      'app://leadbell/missing.js',
    ]) {
      const res = await serveAppRequest(root, url);
      expect(res.status, url).toBe(404);
    }
    expect(resolveAppFile(root, 'app://leadbell/..%2F..%2Fetc%2Fpasswd')).toBeNull();
  });
});
