import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES, type ApiHandlers } from '../../shared/api/contract.js';
import { apiChannel } from '../../shared/api/bridge.js';
import { registerApiHandlers } from '../../electron/shell/ipc-bridge.js';
import { isTrustedSender } from '../../electron/shell/sender-check.js';
import { startTestCore, type TestCore } from '../helpers/core.js';
import { appFrame, FakeIpc } from './fake-ports.js';

const WINDOW_ID = 7;

describe('IPC bridge', () => {
  let t: TestCore;
  let ipc: FakeIpc;
  const calls: string[] = [];

  beforeAll(async () => {
    t = await startTestCore();
    // Counts what reaches the core, to prove refused calls never do.
    const counted = Object.fromEntries(
      METHOD_NAMES.map((m) => [m, (input: unknown) => (calls.push(m), (t.core.handlers[m] as (i: unknown) => Promise<unknown>)(input))]),
    ) as ApiHandlers;
    ipc = new FakeIpc();
    registerApiHandlers(ipc, counted, (e) => isTrustedSender(e, WINDOW_ID), t.core.log);
  });
  afterAll(() => t.stop());

  it('has one handler per contract method, and nothing else', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual(METHOD_NAMES.map(apiChannel).sort());
  });

  it('answers the app page with the same result as the core', async () => {
    const viaIpc = (await ipc.invoke(apiChannel('listEndpoints'), {}, appFrame(WINDOW_ID))) as { ok: boolean; value: unknown };
    expect(viaIpc.ok).toBe(true);
    expect(viaIpc.value).toEqual(await t.core.handlers.listEndpoints({}));
  });

  it('validates input with the contract exactly like the HTTP bridge', async () => {
    const viaIpc = (await ipc.invoke(apiChannel('listLeads'), { limit: 0, sort: 'password' }, appFrame(WINDOW_ID))) as {
      ok: false;
      status: number;
      body: unknown;
    };
    const viaHttp = await t.api('GET', '/api/leads?limit=0&sort=password');
    expect(viaIpc.ok).toBe(false);
    expect(viaIpc.status).toBe(400);
    expect(viaIpc.status).toBe(viaHttp.status);
    expect(viaIpc.body).toEqual(viaHttp.body);
    expect((viaIpc.body as { error: { fields: { path: string }[] } }).error.fields.map((f) => f.path).sort()).toEqual(['limit', 'sort']);
  });

  it('writes through IPC too (settings), with the same errors for bad values', async () => {
    const bad = (await ipc.invoke(apiChannel('updateSettings'), { receiver: { rate_limit_per_minute: -5 } }, appFrame(WINDOW_ID))) as {
      ok: boolean;
      status: number;
      body: { error: { code: string; fields: { path: string }[] } };
    };
    expect(bad).toMatchObject({ ok: false, status: 400, body: { error: { code: 'invalid_input' } } });
    expect(bad.body.error.fields[0]!.path).toBe('receiver.rate_limit_per_minute');
    const good = (await ipc.invoke(apiChannel('updateSettings'), { receiver: { rate_limit_per_minute: 42 } }, appFrame(WINDOW_ID))) as { ok: boolean };
    expect(good.ok).toBe(true);
    expect(t.core.stores.settings.get().receiver.rate_limit_per_minute).toBe(42);
  });

  it.each([
    ['a page on another site', appFrame(WINDOW_ID, 'https://evil.example/index.html')],
    ['a file page', appFrame(WINDOW_ID, 'file:///etc/passwd')],
    ['a subframe of the app', { sender: { id: WINDOW_ID }, senderFrame: { url: 'app://leadbell/index.html', parent: {} } }],
    ['another window', appFrame(WINDOW_ID + 1)],
    ['a frame that is gone', { sender: { id: WINDOW_ID }, senderFrame: null }],
    ['a look-alike host', appFrame(WINDOW_ID, 'app://leadbell.evil/index.html')],
  ])('refuses %s before anything reaches the core', async (_name, event) => {
    const before = calls.length;
    const answer = await ipc.invoke(apiChannel('getSettings'), {}, event);
    expect(answer).toEqual({ ok: false, status: 403, body: { error: { code: 'unauthorized', message: 'this page may not call Leadbell' } } });
    expect(calls.length).toBe(before);
  });
});
