/**
 * Logs carry ids, never a lead's name, email or phone: headless mode logged each notification's
 * title ("Hot lead: <first name or email>") to stdout, which goes to journald, outside the private
 * data folder. This runs headless mode as a separate process, logging at debug, with every vendor
 * set up (their fakes, one of them failing once), through an opt-in and a hot assessment of one
 * person, and searches everything the process wrote for that person.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakes, type Fakes } from '../fakes/vendors.js';
import { post, tempDir } from '../helpers/core.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const PERSON = { email: 'anabela.quintero@salon-example.com', first_name: 'Anabela', last_name: 'Quintero', phone: '+1 555 014 2789' };
const HOT = { marketing: 9, sales: 8, operations: 9, finance: 8, team: 9, customer: 8, product: 9, leadership: 8 };

let fakes: Fakes;
beforeAll(async () => {
  fakes = await startFakes();
});
afterAll(async () => fakes?.stop());

it('a run of opt-in, hot lead and notification logs no name, email or phone', async () => {
  const [port, admin, tunnel] = [await freePort(), await freePort(), await freePort()];
  const token = 'headless-token-0123456789';
  // Loops fails once, so a retry and its failure are logged too.
  fakes.loops.server.failNext(1, { status: 500, json: { success: false, message: 'Internal error' } });
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '../helpers/headless-entry.ts')], {
    env: {
      ...process.env,
      LEADBELL_DATA_DIR: tempDir(),
      LEADBELL_PORT: String(port),
      LEADBELL_ADMIN_PORT: String(admin),
      LEADBELL_TUNNEL_PORT: String(tunnel),
      LEADBELL_TUNNEL: 'off',
      LEADBELL_ADMIN_TOKEN: token,
      LEADBELL_LOG_LEVEL: 'debug',
      LOOPS_API_KEY: fakes.loops.apiKey,
      LEADBELL_LOOPS_BASE_URL: fakes.loops.url,
      DISCORD_WEBHOOK_URL: fakes.discord.webhookUrl,
      SLACK_WEBHOOK_URL: fakes.slack.webhookUrl,
      NOTION_TOKEN: fakes.notion.token,
      LEADBELL_NOTION_BASE_URL: fakes.notion.url,
      NOTION_DATA_SOURCE_ID: fakes.notion.dataSourceId,
    },
  });
  let output = '';
  proc.stdout.on('data', (d) => (output += d));
  proc.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  for (let i = 0; i < 150 && !output.includes('Leadbell is running'); i++) await new Promise((r) => setTimeout(r, 100));

  const webhook = (endpoint: string, body: unknown) => post(`http://127.0.0.1:${port}/api/webhooks/${endpoint}`, body);
  expect((await webhook('lead-optin', { ...PERSON, segment: 'beauty-salon' })).status).toBe(202);
  expect((await webhook('assessment', { email: PERSON.email, first_name: PERSON.first_name, assessment_data: HOT })).status).toBe(202);
  const api = async (p: string) => (await fetch(`http://127.0.0.1:${admin}${p}`, { headers: { authorization: `Bearer ${token}` } })).json();
  for (let i = 0; i < 200; i++) {
    const notes = await api('/api/notifications?limit=5');
    if (notes.items?.some((n: { kind: string }) => n.kind === 'hot_lead') && fakes.discord.messages.length > 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  // The run did happen: the person reached the vendors and the notification was raised.
  expect(fakes.discord.messages.length).toBeGreaterThan(0);
  expect((await api('/api/notifications?limit=5')).items[0].title).toContain(PERSON.first_name);

  proc.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(output).toContain('"msg":"stopped"');
  const lower = output.toLowerCase();
  for (const value of [PERSON.email, PERSON.email.split('@')[0]!, PERSON.first_name, PERSON.last_name, PERSON.phone, PERSON.phone.replace(/\D/g, '')]) {
    expect(lower, `the log mentions ${value}`).not.toContain(value.toLowerCase());
  }
}, 60_000);
