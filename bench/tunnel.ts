/**
 * Tunnel recovery times with the product's own timings (not the tests' fast ones), against the
 * loopback localtunnel server and a real core: how long until the public URL answers again.
 *  - sleep: every socket dropped and the client port closed -> online on the same URL;
 *  - outage: the server gone for `outageMs` -> from its return to online on the same URL;
 *  - silent: the tunnel stops forwarding without any error -> online again (found by health checks);
 *  - restart: the app stops and starts on the same data folder -> online on the same URL.
 */
import type { TunnelStatus } from '../shared/api/models.js';
import { DEFAULT_TUNNEL_TIMINGS } from '../electron/core/tunnel/supervisor-options.js';
import { FakeLocaltunnelServer } from '../test/fakes/localtunnel-server.js';
import type { TestCore } from '../test/helpers/core.js';
import { startTunnelCore } from '../test/tunnel/helpers.js';

export interface Figures {
  medianMs: number;
  maxMs: number;
  allMs: number[];
}

export interface TunnelBench {
  rounds: number;
  outageMs: number;
  sleep: Figures;
  outageEnd: Figures;
  silent: Figures;
  restart: Figures;
}

type Scenario = (server: FakeLocaltunnelServer, t: TestCore) => Promise<number>;

const SCENARIOS: Record<'sleep' | 'outageEnd' | 'silent' | 'restart', (outageMs: number) => Scenario> = {
  sleep: () => async (server, t) => {
    const start = performance.now();
    server.sleep();
    await until(t, (s) => s.state === 'online' && s.reconnects > 0);
    return performance.now() - start;
  },
  outageEnd: (outageMs) => async (server, t) => {
    await server.outage(outageMs);
    const start = performance.now();
    await until(t, (s) => s.state === 'online');
    return performance.now() - start;
  },
  silent: () => async (server, t) => {
    const start = performance.now();
    server.stall();
    await until(t, (s) => s.state === 'online' && s.reconnects > 0);
    return performance.now() - start;
  },
  restart: () => async (_server, t) => {
    const start = performance.now();
    await t.restart();
    await until(t, (s) => s.state === 'online');
    return performance.now() - start;
  },
};

export async function benchTunnel({ rounds = 3, outageMs = 5_000 } = {}): Promise<TunnelBench> {
  const result: Partial<TunnelBench> = { rounds, outageMs };
  for (const [name, make] of Object.entries(SCENARIOS) as [keyof typeof SCENARIOS, (o: number) => Scenario][]) {
    const all: number[] = [];
    for (let i = 0; i < rounds; i++) all.push(await measure(make(outageMs)));
    const sorted = [...all].sort((a, b) => a - b);
    result[name] = { medianMs: sorted[Math.floor(sorted.length / 2)]!, maxMs: sorted.at(-1)!, allMs: all };
  }
  return result as TunnelBench;
}

/** One scenario on a fresh server and installation, so no round inherits another's backoff. */
async function measure(scenario: Scenario): Promise<number> {
  const server = await FakeLocaltunnelServer.start();
  const t = await startTunnelCore(server, { tunnel: { timings: DEFAULT_TUNNEL_TIMINGS } });
  try {
    await until(t, (s) => s.state === 'online');
    const url = t.core.tunnel!.status().url;
    const ms = Math.round(await scenario(server, t));
    if (t.core.tunnel!.status().url !== url) throw new Error('the tunnel came back on another URL');
    return ms;
  } finally {
    await t.stop();
    await server.close();
  }
}

async function until(t: TestCore, pred: (s: TunnelStatus) => boolean, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred(t.core.tunnel!.status())) {
    if (Date.now() > end) throw new Error(`the tunnel did not recover in ${timeoutMs} ms: ${JSON.stringify(t.core.tunnel!.status())}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
