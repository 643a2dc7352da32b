/** Picks the transport: the preload's bridge when running in the desktop app, HTTP otherwise. */
import type { ApiClient } from '../../../shared/api/contract.js';
import type { LeadbellBridge } from '../../../shared/api/bridge.js';
import { createHttpClient } from './http-client.js';
import { createIpcClient } from './ipc-client.js';
import { ipcLiveSource, sseLiveSource, type LiveSource } from './live.js';

declare global {
  interface Window {
    leadbell?: LeadbellBridge;
  }
}

export interface Transport {
  kind: 'ipc' | 'http';
  client: ApiClient;
  live: LiveSource;
  /** Routes the shell asks for (notification clicks); HTTP has none. */
  onNavigate: (listener: (route: string) => void) => () => void;
}

export function detectTransport(win: Window = window): Transport {
  const bridge = win.leadbell;
  if (bridge) {
    return { kind: 'ipc', client: createIpcClient(bridge), live: ipcLiveSource(bridge), onNavigate: (l) => bridge.onNavigate(l) };
  }
  return { kind: 'http', client: createHttpClient(), live: sseLiveSource(), onNavigate: () => () => undefined };
}
