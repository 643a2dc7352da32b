/**
 * Starts one headless app for the run: seeded leads in a temp data folder, free ports, a token,
 * and its public tunnel pointed at a loopback localtunnel server (never the internet).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeLocaltunnelServer } from '../fakes/localtunnel-server.js';
import { startHeadlessApp } from './support/headless-process.js';
import { seedLeads } from './support/seed-leads.js';

export const SEEDED_LEADS = 3000;

export default async function globalSetup(): Promise<() => Promise<void>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadbell-e2e-'));
  seedLeads(dataDir, SEEDED_LEADS);
  const tunnelServer = await FakeLocaltunnelServer.start();
  const app = await startHeadlessApp(
    dataDir,
    { LEADBELL_TUNNEL: 'localtunnel', LEADBELL_TUNNEL_HOST: tunnelServer.host, LEADBELL_LOG_LEVEL: 'info' },
    'test-results/headless-app.log',
  );
  process.env.LEADBELL_E2E_ADMIN_URL = app.adminUrl;
  process.env.LEADBELL_E2E_RECEIVER_URL = app.receiverUrl;
  process.env.LEADBELL_E2E_TOKEN = app.token;
  process.env.LEADBELL_E2E_SEEDED = String(SEEDED_LEADS);
  fs.mkdirSync('test-results/screenshots', { recursive: true });
  return async () => {
    await app.stop();
    await tunnelServer.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
