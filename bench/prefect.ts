/**
 * Events forwarded to Prefect per second, next to ingest in the same run: a headless core in its
 * own process takes a burst of opt-ins while forwarding to the Prefect fake (Basic auth, schema
 * checked, 204); ingest is timed from the first post to the last acknowledgement, forwarding from
 * the first post until the fake holds every event.
 */
import { startCoreProcess } from '../test/engine/core-process-client.js';
import { PrefectFake } from '../test/fakes/prefect-fake.js';
import { burstOptins } from '../test/reliability/support/burst.js';
import { tempDir } from './lib.js';

const AUTH = 'leadbell:bench-password';

export async function benchPrefect(count = 5_000) {
  const fake = await PrefectFake.start({ authString: AUTH });
  const core = await startCoreProcess({
    dataDir: tempDir('leadbell-bench-prefect-'),
    secrets: { 'integration.prefect.auth_string': AUTH },
    settings: { integrations: { prefect: { api_url: fake.apiUrl } }, receiver: { rate_limit_per_minute: 0 } },
    logLevel: 'warn',
  });
  try {
    const started = performance.now();
    const burst = burstOptins(() => `http://127.0.0.1:${core.port}/api/webhooks/lead-optin`, count, 32, 'bench-prefect');
    await burst.done;
    const ingestMs = performance.now() - started;
    const deadline = Date.now() + 300_000;
    while (fake.events.size < burst.acked()) {
      if (Date.now() > deadline) throw new Error(`only ${fake.events.size} of ${burst.acked()} events reached Prefect`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const forwardMs = performance.now() - started;
    const ingestPerSecond = (burst.acked() * 1000) / ingestMs;
    const forwardedPerSecond = (fake.events.size * 1000) / forwardMs;
    return {
      optIns: burst.acked(),
      ingestPerSecond,
      forwardedPerSecond,
      ratio: forwardedPerSecond / ingestPerSecond,
      requests: fake.batches.length,
      meanBatch: fake.batches.reduce((a, b) => a + b, 0) / fake.batches.length,
      duplicates: fake.batches.reduce((a, b) => a + b, 0) - fake.events.size,
    };
  } finally {
    await core.kill('SIGKILL');
    await fake.stop();
  }
}
