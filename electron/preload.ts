/**
 * The preload (sandboxed, bundled to one CommonJS file): exposes `window.leadbell`, one narrow
 * function per contract method plus two subscriptions. The renderer never sees ipcRenderer.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { METHOD_NAMES } from '../shared/api/contract.js';
import type { LiveUpdate } from '../shared/api/contract.js';
import { apiChannel, LIVE_CHANNEL, NAVIGATE_CHANNEL, type BridgeApi, type LeadbellBridge } from '../shared/api/bridge.js';

function subscribe<T>(channel: string, listener: (payload: T) => void): () => void {
  // The IPC event object stays here: only the payload crosses into the page.
  const wrapped = (_event: IpcRendererEvent, payload: T) => listener(payload);
  ipcRenderer.on(channel, wrapped);
  return () => ipcRenderer.removeListener(channel, wrapped);
}

const api = Object.fromEntries(
  METHOD_NAMES.map((method) => [method, (input: unknown) => ipcRenderer.invoke(apiChannel(method), input)]),
) as BridgeApi;

const bridge: LeadbellBridge = {
  api,
  onLiveUpdate: (listener) => subscribe<LiveUpdate>(LIVE_CHANNEL, listener),
  onNavigate: (listener) => subscribe<string>(NAVIGATE_CHANNEL, listener),
};

contextBridge.exposeInMainWorld('leadbell', bridge);
