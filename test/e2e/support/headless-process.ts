/**
 * Runs the built headless app (dist/electron/headless.cjs) as its own process on free loopback
 * ports, with a temp data folder and a known admin token, the way an owner would run it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface HeadlessApp {
  adminUrl: string;
  receiverUrl: string;
  token: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** The printed UI link carries a concrete port, so port 0 cannot be used: ask the OS for free ones. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export const HEADLESS_BUNDLE = path.resolve('dist/electron/headless.cjs');

/** `logFile`: where the app's output goes after it started (to look into a failed run). */
export async function startHeadlessApp(dataDir: string, extraEnv: Record<string, string> = {}, logFile?: string): Promise<HeadlessApp> {
  if (!fs.existsSync(HEADLESS_BUNDLE) || !fs.existsSync(path.resolve('dist/renderer/index.html'))) {
    throw new Error('The app is not built: run `npm run build` first.');
  }
  const [port, tunnelPort, adminPort] = [await freePort(), await freePort(), await freePort()];
  const token = randomBytes(24).toString('base64url');
  const child: ChildProcess = spawn(process.execPath, [HEADLESS_BUNDLE], {
    env: {
      ...process.env,
      LEADBELL_DATA_DIR: dataDir,
      LEADBELL_HOST: '127.0.0.1',
      LEADBELL_PORT: String(port),
      LEADBELL_TUNNEL_PORT: String(tunnelPort),
      LEADBELL_ADMIN_PORT: String(adminPort),
      LEADBELL_ADMIN_TOKEN: token,
      // Loopback only: no public tunnel in tests.
      LEADBELL_TUNNEL: 'off',
      LEADBELL_LOG_LEVEL: 'warn',
      ...extraEnv,
    },
    stdio: ['ignore', logFile ? 'pipe' : 'ignore', 'pipe'],
  });
  if (logFile) {
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    const out = fs.createWriteStream(logFile);
    child.stdout!.pipe(out);
    child.stderr!.pipe(out);
  }
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`headless app did not start in 30 s:\n${stderr}`)), 30_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('Open the UI:')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`headless app exited with ${code}:\n${stderr}`));
    });
  });
  return {
    adminUrl: `http://127.0.0.1:${adminPort}`,
    receiverUrl: `http://127.0.0.1:${port}`,
    token,
    dataDir,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
