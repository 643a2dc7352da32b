/** Benchmark helpers: free ports, child servers, autocannon runs. */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function waitForHttp(url: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

export interface Child {
  proc: ChildProcess;
  stop(): Promise<void>;
}

export function startChild(args: string[], env: NodeJS.ProcessEnv): Child {
  const proc = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += d));
  proc.on('exit', (code) => {
    if (code && code !== 0 && code !== 143) process.stderr.write(`child exited ${code}: ${stderr}\n`);
  });
  return {
    proc,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  non2xx: number;
  errors: number;
}

/** Posts unique JSON bodies (`[<id>]` is replaced per request) for a fixed time. */
export async function load(
  url: string,
  bodyTemplate: string,
  connections: number,
  seconds: number,
  contentType = 'application/json',
): Promise<LoadResult> {
  const r = await autocannon({
    url,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': contentType },
    body: bodyTemplate,
    idReplacement: true,
  });
  return {
    requestsPerSecond: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    total: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** CPU seconds a process has used so far (Linux /proc; null elsewhere). */
export function cpuSeconds(pid: number): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/**
 * Bytes a process has sent to the storage layer so far (Linux /proc `write_bytes`, counted as it
 * dirties page cache; null elsewhere): for the core, its SQLite WAL frames and checkpoints. A
 * figure the machine's load barely moves, unlike CPU time.
 */
export function bytesWritten(pid: number): number | null {
  try {
    const line = fs.readFileSync(`/proc/${pid}/io`, 'utf8').split('\n').find((l) => l.startsWith('write_bytes:'));
    return line ? Number(line.slice('write_bytes:'.length)) : null;
  } catch {
    return null;
  }
}

/**
 * Waits until a process uses under 5% of a core for two seconds running (e.g. its backlog is
 * done; a background pause is far shorter). Returns how long that took, not counting the quiet
 * seconds. Throws if it is still busy after `timeoutMs`: a figure measured beside a busy
 * process would mislead.
 */
export async function waitForIdle(pid: number, timeoutMs = 600_000): Promise<number> {
  const start = Date.now();
  let last = cpuSeconds(pid);
  if (last === null) return 0;
  let quietSince: number | null = null;
  while (Date.now() - start < timeoutMs) {
    await new Promise((r) => setTimeout(r, 500));
    const now = cpuSeconds(pid);
    if (now === null) return Date.now() - start;
    if (now - last! >= 0.025) quietSince = null;
    else {
      quietSince ??= Date.now() - 500;
      if (Date.now() - quietSince >= 2_000) return quietSince - start;
    }
    last = now;
  }
  throw new Error(`process ${pid} was still busy after ${timeoutMs / 1000} s`);
}
