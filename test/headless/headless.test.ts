import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { expect, it } from 'vitest';
import { post, tempDir } from '../helpers/core.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

it('runs as a service: structured logs, secrets kept out of them, clean SIGTERM shutdown', async () => {
  const [port, admin, tunnel] = [await freePort(), await freePort(), await freePort()];
  const token = 'headless-token-0123456789';
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '../helpers/headless-entry.ts')], {
    env: {
      ...process.env,
      LEADBELL_DATA_DIR: tempDir(),
      LEADBELL_PORT: String(port),
      LEADBELL_ADMIN_PORT: String(admin),
      LEADBELL_TUNNEL_PORT: String(tunnel),
      LEADBELL_TUNNEL: 'off',
      LEADBELL_ADMIN_TOKEN: token,
      LOOPS_API_KEY: 'loops-secret-key-abcdef',
    },
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d) => (stdout += d));
  proc.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  for (let i = 0; i < 100 && !stderr.includes('Leadbell is running'); i++) await new Promise((r) => setTimeout(r, 100));
  expect(stderr).toContain(`http://127.0.0.1:${admin}/?token=${token}`);

  const accepted = await post(`http://127.0.0.1:${port}/api/webhooks/lead-optin`, { email: 'svc@example.com' });
  expect(accepted.status).toBe(202);
  const status = await fetch(`http://127.0.0.1:${admin}/api/status`, { headers: { authorization: `Bearer ${token}` } });
  expect((await status.json()).mode).toBe('headless');
  // LEADBELL_TUNNEL=off wins over the saved settings: turning the tunnel on in the UI is refused,
  // naming the setting, instead of "saved" with no effect; settings it does not touch still save.
  const put = (body: unknown) =>
    fetch(`http://127.0.0.1:${admin}/api/settings`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const refused = await put({ tunnel: { enabled: true, provider: 'localtunnel', subdomain: 'my-salon-leads' } });
  expect(refused.status).toBe(400);
  expect((await refused.json()).error.fields).toEqual([
    { path: 'tunnel.enabled', message: 'is set by an environment variable (listed at the top of Settings), which wins over what is saved here' },
  ]);
  expect((await put({ tunnel: { enabled: false, subdomain: 'my-salon-leads' } })).status).toBe(200);

  proc.kill('SIGTERM');
  expect(await exited).toBe(0);
  const lines = stdout.trim().split('\n');
  for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
  const msgs = lines.map((l) => JSON.parse(l).msg);
  expect(msgs).toContain('receiver listening');
  expect(msgs).toContain('shutting down');
  expect(msgs.at(-1)).toBe('stopped');
  expect(stdout).not.toContain(token);
  expect(stdout).not.toContain('loops-secret-key-abcdef');
});

it('refuses to start on an invalid environment, naming the variable', async () => {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '../helpers/headless-entry.ts')], {
    env: { ...process.env, LEADBELL_DATA_DIR: tempDir(), LEADBELL_PORT: 'eighty', LEADBELL_ADMIN_TOKEN: 'short' },
  });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => proc.on('exit', (c) => resolve(c)));
  expect(code).toBe(1);
  expect(stderr).toMatch(/LEADBELL_PORT/);
  expect(stderr).toMatch(/LEADBELL_ADMIN_TOKEN: must be at least 16 characters/);
});
