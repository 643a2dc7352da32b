import { describe, expect, it } from 'vitest';
import type { Notification, Status } from '../../shared/api/models.js';
import { createDesktopNotifier, routeFor } from '../../electron/shell/notifier.js';
import { TrayController, trayStateFor, type TrayActions } from '../../electron/shell/tray.js';
import { createLogger } from '../../electron/core/log/logger.js';
import { FakeNotifications, FakeTray } from './fake-ports.js';

const note = (n: Partial<Notification>): Notification => ({
  id: 'n1',
  kind: 'hot_lead',
  title: 'Hot lead: Hana',
  body: 'hana@example.com scored 91 on the assessment.',
  lead_id: 'lead-1',
  created_at: new Date().toISOString(),
  ...n,
});

describe('desktop notifications', () => {
  it('show hot leads and open the lead when clicked', () => {
    const port = new FakeNotifications();
    const opened: string[] = [];
    const notify = createDesktopNotifier(port, (r) => opened.push(r), createLogger({ write: () => undefined }));
    notify(note({}), { sound: true });
    expect(port.shown).toHaveLength(1);
    expect(port.shown[0]).toMatchObject({ title: 'Hot lead: Hana', body: 'hana@example.com scored 91 on the assessment.', silent: false });
    port.shown[0]!.click();
    expect(opened).toEqual(['/leads/lead-1']);
  });

  it('are silent when the owner turned the sound off', () => {
    const port = new FakeNotifications();
    createDesktopNotifier(port, () => undefined, createLogger({ write: () => undefined }))(note({}), { sound: false });
    expect(port.shown[0]).toMatchObject({ title: 'Hot lead: Hana', silent: true });
  });

  it('route high engagement to the lead and a changed address to Home', () => {
    expect(routeFor(note({ kind: 'high_engagement', lead_id: 'a b' }))).toBe('/leads/a%20b');
    expect(routeFor(note({ kind: 'tunnel_url_changed', lead_id: null }))).toBe('/');
  });

  it('are skipped, with one warning, where the OS does not support them', () => {
    const port = new FakeNotifications();
    port.supported = false;
    const lines: string[] = [];
    const notify = createDesktopNotifier(port, () => undefined, createLogger({ write: (l) => lines.push(l) }));
    notify(note({}), { sound: true });
    notify(note({ id: 'n2' }), { sound: true });
    expect(port.shown).toHaveLength(0);
    expect(lines.filter((l) => l.includes('not supported'))).toHaveLength(1);
  });
});

function status(tunnel: Status['tunnel']['state'], paused = false): Status {
  return {
    version: '0',
    mode: 'desktop',
    data_dir: '/d',
    started_at: '',
    receiver: { host: '127.0.0.1', port: 1, tunnel_port: 2, paused, public_base_url: 'http://127.0.0.1:1', port_notice: null },
    storage: { ok: true, error: null, path: '/d/leadbell.db' },
    prefect: { configured: false, state: 'off', detail: null, http_status: null, last_sent_at: null, sent: 0, backlog: { waiting: 0, failed: 0 } },
    tunnel: {
      state: tunnel,
      provider: 'localtunnel',
      url: null,
      requested_subdomain: null,
      last_check_at: null,
      last_ok_at: null,
      last_error: null,
      reconnects: 0,
      url_changed: false,
    },
    relay: { state: 'off', url: null, detail: null, backlog: null, arrived_while_away: null, last_connected_at: null, delivered: 0, usage: null, outdated: false },
  secret_backend: { name: 'keychain', secure: true, protection: 'Your macOS Keychain protects them.', warning: null },
    env_overrides: [],
  };
}

describe('the tray', () => {
  it('shows online / reconnecting / offline from the tunnel state', () => {
    expect(trayStateFor('online')).toBe('online');
    expect(trayStateFor('connecting')).toBe('reconnecting');
    expect(trayStateFor('reconnecting')).toBe('reconnecting');
    for (const s of ['offline', 'error', 'disabled'] as const) expect(trayStateFor(s)).toBe('offline');
  });

  it('has Open, Copy webhook URL, Pause/Resume and Quit, and sets a new menu whenever it changes', () => {
    const port = new FakeTray();
    const did: string[] = [];
    const actions: TrayActions = {
      open: () => did.push('open'),
      copyWebhookUrl: () => did.push('copy'),
      setPaused: (p) => did.push(`paused=${p}`),
      restartToUpdate: () => did.push('update'),
      quit: () => did.push('quit'),
    };
    const tray = new TrayController(port, actions);
    tray.update(status('online'));
    expect(port.image).toBe('online');
    expect(port.menu.map((i) => i.label ?? '—')).toEqual(['Public address online', '—', 'Open Leadbell', 'Copy webhook URL', 'Pause receiving', '—', 'Quit Leadbell']);
    for (const label of ['Open Leadbell', 'Copy webhook URL', 'Pause receiving', 'Quit Leadbell']) port.item(label).click!();
    expect(did).toEqual(['open', 'copy', 'paused=true', 'quit']);

    tray.update(status('online'));
    expect(port.menus).toHaveLength(1);
    tray.update(status('reconnecting', true));
    expect(port.menus).toHaveLength(2);
    expect(port.image).toBe('reconnecting');
    expect(port.tooltip).toContain('paused');
    port.item('Resume receiving').click!();
    expect(did.at(-1)).toBe('paused=false');
    port.click();
    expect(did.at(-1)).toBe('open');
  });
});
