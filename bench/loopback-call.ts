/**
 * The floor under the engine's throughput: the CPU one HTTP call costs on this machine, to the
 * bare Node server on loopback, through the same wire the vendor clients use (node:http on
 * kept-alive connections). The caller's share is what every vendor call costs the core at
 * least; the server's share is what each call costs the fakes' process.
 */
import path from 'node:path';
import { sendHttp } from '../electron/core/outbound/http-transport.js';
import { cpuSeconds, freePort, startChild, waitForHttp } from './lib.js';

export interface LoopbackCallCost {
  calls: number;
  /** CPU per call, in microseconds. */
  clientUs: number;
  serverUs: number;
}

export async function loopbackCallCost(calls = 10_000, concurrency = 32): Promise<LoopbackCallCost> {
  const port = await freePort();
  const bare = startChild([path.join(import.meta.dirname, 'bare-server.cjs')], { PORT: String(port) });
  try {
    const url = `http://127.0.0.1:${port}/api/v1/transactional`;
    await waitForHttp(url);
    const body = JSON.stringify({ transactionalId: 'cta', email: 'someone@example.com', dataVariables: { first_name: 'Bench' } });
    const headers = { 'content-type': 'application/json', accept: 'application/json', authorization: 'Bearer key' };
    const burst = async (n: number) => {
      let i = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (i++ < n) await sendHttp({ method: 'POST', url, headers, body }, { timeoutMs: 15_000 });
        }),
      );
    };
    await burst(2_000); // warm: connections open, code compiled
    const c0 = process.cpuUsage();
    const s0 = cpuSeconds(bare.proc.pid!) ?? 0;
    await burst(calls);
    const c = process.cpuUsage(c0);
    const s = (cpuSeconds(bare.proc.pid!) ?? 0) - s0;
    return { calls, clientUs: (c.user + c.system) / calls, serverUs: (s * 1e6) / calls };
  } finally {
    await bare.stop();
  }
}
