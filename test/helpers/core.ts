/** Starts a real core (real SQLite file in a temp folder, real HTTP on loopback ports). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core, type CoreOptions } from '../../electron/core/app.js';
import { startAdminServer, type AdminServer } from '../../electron/core/admin/admin-server.js';
import { writes } from './admin-writes.js';
import { createLogger, type Logger } from '../../electron/core/log/logger.js';

export interface TestCore {
  core: Core;
  admin: AdminServer;
  dataDir: string;
  token: string;
  /** Every log line the core wrote, for assertions about what is (not) logged. */
  logs: string[];
  url: (p: string) => string;
  tunnelUrl: (p: string) => string;
  adminUrl: (p: string) => string;
  /** Calls the admin API with the token; returns status and parsed JSON. */
  api: (method: string, p: string, body?: unknown) => Promise<{ status: number; body: any }>;
  restart: (overrides?: Partial<CoreOptions>) => Promise<void>;
  stop: () => Promise<void>;
}

export function tempDir(prefix = 'leadbell-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startTestCore(overrides: Partial<CoreOptions> = {}, dataDir = tempDir()): Promise<TestCore> {
  const logs: string[] = [];
  const log: Logger = createLogger({ level: 'debug', write: (l) => logs.push(l) });
  const token = 'test-admin-token-0123456789';
  const options = (o: Partial<CoreOptions>): CoreOptions => ({
    dataDir,
    mode: 'headless',
    listen: { host: '127.0.0.1', port: 0, tunnelPort: 0 },
    log,
    ...o,
  });
  let core = await createCore(options(overrides));
  let admin = await startAdminServer({ handlers: core.handlers, live: core.live, token, port: 0, log });
  const t: TestCore = {
    get core() {
      return core;
    },
    get admin() {
      return admin;
    },
    dataDir,
    token,
    logs,
    url: (p) => `http://127.0.0.1:${core.receiver.port}${p}`,
    tunnelUrl: (p) => `http://127.0.0.1:${core.receiver.tunnelPort}${p}`,
    adminUrl: (p) => `http://127.0.0.1:${admin.port}${p}`,
    api: async (method, p, body) => {
      const res = await fetch(`http://127.0.0.1:${admin.port}${p}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(writes(method) && { 'content-type': 'application/json' }) },
        body: writes(method) ? JSON.stringify(body ?? {}) : undefined,
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    restart: async (o = overrides) => {
      await admin.close();
      await core.stop();
      core = await createCore(options(o));
      admin = await startAdminServer({ handlers: core.handlers, live: core.live, token, port: 0, log });
    },
    stop: async () => {
      await admin.close();
      await core.stop();
    },
  };
  return t;
}

/** POSTs JSON (or a raw string/Buffer) to a receiver URL. */
export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const raw = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof raw === 'string' ? raw : new Uint8Array(raw),
    redirect: 'manual',
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep text
  }
  return { status: res.status, headers: res.headers, body: parsed };
}
