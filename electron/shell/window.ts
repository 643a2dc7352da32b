/**
 * The main window, hardened per Electron's security checklist: isolated, sandboxed, no Node in
 * the page, no navigation away from the app, no new windows, only http(s) links opened in the
 * browser, no permissions but writing to the clipboard.
 */
import type { BrowserWindowConstructorOptions } from 'electron';
import { isAppUrl } from './sender-check.js';

export function hardenedWindowOptions(preload: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 840,
    minWidth: 880,
    minHeight: 600,
    show: false,
    title: 'Leadbell',
    backgroundColor: '#f6f5fb',
    autoHideMenuBar: true,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: true,
    },
  };
}

/** Only web links leave the app, and only to the system browser. */
export function externalUrl(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : null;
  } catch {
    return null;
  }
}

export interface NavigationEvents {
  /** will-navigate and will-redirect. */
  onNavigate(listener: (event: { preventDefault(): void }, url: string) => void): void;
  onWindowOpen(handler: (url: string) => { action: 'deny' }): void;
  onAttachWebview(listener: (event: { preventDefault(): void }) => void): void;
}

export function guardNavigation(contents: NavigationEvents, openExternal: (url: string) => void): void {
  contents.onNavigate((event, url) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    const external = externalUrl(url);
    if (external) openExternal(external);
  });
  contents.onWindowOpen((url) => {
    const external = externalUrl(url);
    if (external) openExternal(external);
    return { action: 'deny' };
  });
  contents.onAttachWebview((event) => event.preventDefault());
}

/** Copy buttons need the clipboard; nothing else (camera, location, notifications...) is granted. */
export function allowPermission(permission: string): boolean {
  return permission === 'clipboard-sanitized-write';
}
