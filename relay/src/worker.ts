/**
 * The relay's public face. Webhook posts, their CORS preflights and /health go to the one queue
 * (a Durable Object); /connect is the desktop's WebSocket, refused without the relay secret.
 * Nothing else exists here.
 */
import { json, type Env } from './env.js';

export { RelayQueue } from './queue.js';

const WEBHOOK = /^\/api\/webhooks\/[a-z0-9_-]{1,64}$/;

export default {
  async fetch(req: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(req.url);
    const queue = () => env.QUEUE.get(env.QUEUE.idFromName('queue'));
    if (pathname === '/health' && req.method === 'GET') return json(200, { status: 'ok', service: 'leadbell-relay' });
    if (WEBHOOK.test(pathname)) {
      if (req.method !== 'POST' && req.method !== 'OPTIONS') {
        return json(405, { status: 'rejected', error: `method ${req.method} is not allowed: send a POST` }, { allow: 'POST, OPTIONS' });
      }
      return queue().fetch(req);
    }
    if (pathname === '/connect') {
      if (!env.RELAY_SECRET) return json(503, { error: 'the relay secret is not set (RELAY_SECRET)' });
      const given = /^Bearer (.+)$/.exec(req.headers.get('authorization') ?? '')?.[1] ?? '';
      if (!(await sameSecret(given, env.RELAY_SECRET))) return json(401, { error: 'wrong relay secret' });
      if (req.headers.get('upgrade')?.toLowerCase() !== 'websocket') return json(426, { error: 'expected a WebSocket upgrade' });
      return queue().fetch(req);
    }
    return json(404, { status: 'rejected', error: 'not found' });
  },
} satisfies ExportedHandler<Env>;

/** Compares digests, so the time taken says nothing about how much of the secret matched. */
async function sameSecret(given: string, expected: string): Promise<boolean> {
  const enc = new TextEncoder();
  const [a, b] = await Promise.all([crypto.subtle.digest('SHA-256', enc.encode(given)), crypto.subtle.digest('SHA-256', enc.encode(expected))]);
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0 && given.length > 0;
}
