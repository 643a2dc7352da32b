/**
 * What the preload exposes to the renderer as `window.leadbell`, and the IPC channel names both
 * sides use. One narrow function per contract method (never a generic invoke), plus two event
 * subscriptions; answers come back as a result envelope so error codes and fields survive IPC.
 */
import type { ApiErrorBody, LiveUpdate, MethodInput, MethodName, MethodOutput } from './contract.js';

const API_CHANNEL_PREFIX = 'leadbell:api:';
export const LIVE_CHANNEL = 'leadbell:live';
export const NAVIGATE_CHANNEL = 'leadbell:navigate';

export const apiChannel = (method: MethodName): string => `${API_CHANNEL_PREFIX}${method}`;

export type BridgeResult<T> = { ok: true; value: T } | { ok: false; status: number; body: ApiErrorBody };

export type BridgeApi = { [M in MethodName]: (input: MethodInput<M>) => Promise<BridgeResult<MethodOutput<M>>> };

export interface LeadbellBridge {
  api: BridgeApi;
  /** Live updates from the core; returns an unsubscribe function. */
  onLiveUpdate(listener: (update: LiveUpdate) => void): () => void;
  /** The shell asks the UI to show a route (e.g. a notification click opens a lead). */
  onNavigate(listener: (route: string) => void): () => void;
}
