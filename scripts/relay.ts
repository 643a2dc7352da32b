// `npm run relay`: the relay on this machine, no Cloudflare account or network needed.
import { startLocalRelay } from './relay-local.js';

const secret = process.env.RELAY_SECRET;
if (!secret) {
  process.stderr.write('Set RELAY_SECRET (the relay secret shown in Leadbell, or any 32+ random characters).\n');
  process.exit(1);
}
const relay = await startLocalRelay({
  port: Number(process.env.RELAY_PORT ?? 8787),
  secret,
  persistDir: process.env.RELAY_DATA_DIR ?? '.relay-data',
  // The queue caps and rate limit, as the Worker's vars (see relay/wrangler.toml).
  vars: Object.fromEntries(
    ['RELAY_MAX_QUEUED', 'RELAY_MAX_QUEUED_BYTES', 'RELAY_RATE_LIMIT_PER_MINUTE'].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])),
  ),
});
process.stdout.write(`Leadbell relay listening on ${relay.url}\n  Webhooks: ${relay.url}/api/webhooks/<endpoint>\n`);
const stop = () => void relay.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
