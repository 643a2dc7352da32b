/**
 * Live updates from the core: IPC events in Electron, server-sent events in headless mode.
 * `onReconnect` fires when a stream comes back after a drop, since updates may have been missed.
 */
import { liveUpdate, type LiveUpdate } from '../../../shared/api/contract.js';
import type { LeadbellBridge } from '../../../shared/api/bridge.js';

export interface LiveSource {
  subscribe(onUpdate: (u: LiveUpdate) => void, onReconnect: () => void): () => void;
}

export function ipcLiveSource(bridge: LeadbellBridge): LiveSource {
  return {
    subscribe: (onUpdate) =>
      bridge.onLiveUpdate((raw) => {
        const parsed = liveUpdate.safeParse(raw);
        if (parsed.success) onUpdate(parsed.data);
      }),
  };
}

export function sseLiveSource(url = '/api/stream'): LiveSource {
  return {
    subscribe(onUpdate, onReconnect) {
      const source = new EventSource(url, { withCredentials: true });
      let opened = false;
      source.onopen = () => {
        if (opened) onReconnect();
        opened = true;
      };
      source.onmessage = (msg: MessageEvent<string>) => {
        let data: unknown;
        try {
          data = JSON.parse(msg.data);
        } catch {
          return;
        }
        const parsed = liveUpdate.safeParse(data);
        if (parsed.success) onUpdate(parsed.data);
      };
      return () => source.close();
    },
  };
}
