/**
 * Only the app's own top-level page may call the API over IPC: not a subframe, not another
 * window, not a page that somehow navigated elsewhere.
 */
import type { IpcInvokeEvent } from './ports.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'leadbell';
const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

export function isTrustedSender(event: IpcInvokeEvent, windowWebContentsId: number | null): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  if (windowWebContentsId === null || event.sender.id !== windowWebContentsId) return false;
  return isAppUrl(frame.url);
}
