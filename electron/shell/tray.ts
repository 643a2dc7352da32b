/** The tray: a bell whose dot says whether the public address works, and a short menu. */
import type { Status, UpdateStatus } from '../../shared/api/models.js';
import type { TrayMenuItem, TrayPort } from './ports.js';

export type TrayState = 'online' | 'reconnecting' | 'offline';
export const TRAY_STATES: readonly TrayState[] = ['online', 'reconnecting', 'offline'];

/**
 * The tray image for a state, inside the icons folder. macOS menu bar icons are Template images
 * (black and alpha, recoloured for light and dark bars); Electron marks a file named *Template.png
 * as one (shell/common/api/electron_api_native_image.cc, IsTemplateFilename). Elsewhere the
 * coloured dot shows the state.
 */
export function trayIconFile(state: TrayState, platform: NodeJS.Platform): string {
  return `tray/${state}${platform === 'darwin' ? 'Template' : ''}.png`;
}

export function trayStateFor(tunnel: Status['tunnel']['state']): TrayState {
  if (tunnel === 'online') return 'online';
  if (tunnel === 'connecting' || tunnel === 'reconnecting') return 'reconnecting';
  return 'offline';
}

/** The relay, when set up, is the public address; otherwise the tunnel is. */
export function trayStateOf(status: Status): TrayState {
  const relay = status.relay.state;
  if (relay === 'off') return trayStateFor(status.tunnel.state);
  if (relay === 'connected') return 'online';
  return relay === 'auth_failed' ? 'offline' : 'reconnecting';
}

const STATE_WORDS: Record<TrayState, string> = {
  online: 'Public address online',
  reconnecting: 'Reconnecting the public address…',
  offline: 'Public address offline',
};

export interface TrayActions {
  open(): void;
  copyWebhookUrl(): void;
  setPaused(paused: boolean): void;
  restartToUpdate(): void;
  quit(): void;
}

/** "Restart to update" once an update is downloaded; while it waits for work to finish, it says so. */
function updateItems(update: UpdateStatus | null, actions: TrayActions): TrayMenuItem[] {
  if (update?.state !== 'ready') return [];
  if (update.waiting_for_work) return [{ label: `Updating to ${update.version} when the work under way is done`, enabled: false }, { type: 'separator' }];
  return [{ label: `Restart to update (${update.version})`, click: actions.restartToUpdate }, { type: 'separator' }];
}

function trayMenu(status: Status, update: UpdateStatus | null, actions: TrayActions): TrayMenuItem[] {
  const state = trayStateOf(status);
  const paused = status.receiver.paused;
  return [
    ...updateItems(update, actions),
    { label: paused ? 'Receiving is paused' : STATE_WORDS[state], enabled: false },
    { type: 'separator' },
    { label: 'Open Leadbell', click: actions.open },
    { label: 'Copy webhook URL', click: actions.copyWebhookUrl },
    { label: paused ? 'Resume receiving' : 'Pause receiving', click: () => actions.setPaused(!paused) },
    { type: 'separator' },
    { label: 'Quit Leadbell', click: actions.quit },
  ];
}

export class TrayController {
  private last = '';

  constructor(
    private readonly port: TrayPort,
    private readonly actions: TrayActions,
  ) {
    port.onClick(actions.open);
  }

  /** Re-sets icon, tooltip and menu when anything shown changed (the menu must be set again to change). */
  update(status: Status, update: UpdateStatus | null = null): void {
    const state = trayStateOf(status);
    const key = `${state}|${status.receiver.paused}|${update?.state}|${update?.version}|${update?.waiting_for_work}`;
    if (key === this.last) return;
    this.last = key;
    this.port.setImage(state);
    this.port.setToolTip(`Leadbell: ${status.receiver.paused ? 'receiving paused' : STATE_WORDS[state].toLowerCase()}`);
    this.port.setContextMenu(trayMenu(status, update, this.actions));
  }
}
