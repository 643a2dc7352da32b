/** Test-fire: sends a sample (or a given body) through the real receiver over HTTP. */
import { findSample } from '../../../shared/events/samples.js';
import type { EndpointName } from '../../../shared/events/catalog.js';
import { SEND_FOR_REAL_HEADER, TEST_FIRE_HEADER, WEBHOOK_PREFIX } from '../ingest/receiver.js';
import { ApiError } from './api-error.js';

export interface FireInput {
  sample?: string;
  endpoint?: EndpointName;
  body?: Record<string, unknown>;
  via: 'direct' | 'tunnel';
  /** Call the connected apps for real (a test lead otherwise calls none). */
  send_for_real?: boolean;
}

export interface FireTarget {
  directBaseUrl: string;
  /** The public tunnel URL, when the tunnel is online. */
  publicBaseUrl: () => string | null;
  testFireNonce: string;
}

export async function testFire(input: FireInput, target: FireTarget): Promise<{ status: number; body: unknown; url: string }> {
  const sample = input.sample !== undefined ? findSample(input.sample) : undefined;
  if (input.sample !== undefined && !sample) throw new ApiError('not_found', `no sample called "${input.sample}"`);
  const endpoint = input.endpoint ?? sample!.endpoint;
  const body = input.body ?? sample!.body;
  let base = target.directBaseUrl;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (input.via === 'tunnel') {
    const pub = target.publicBaseUrl();
    if (!pub) throw new ApiError('unavailable', 'the tunnel is not online, so there is no public URL to fire through');
    base = pub;
    // Through the tunnel the request is a real outside request: signatures apply as for anyone.
    headers['bypass-tunnel-reminder'] = '1';
  } else {
    headers[TEST_FIRE_HEADER] = target.testFireNonce;
    if (input.send_for_real) headers[SEND_FOR_REAL_HEADER] = '1';
  }
  const url = `${base}${WEBHOOK_PREFIX}${endpoint}`;
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(15_000) });
  } catch (e) {
    throw new ApiError('unavailable', `could not reach ${url}: ${(e as Error).message}`);
  }
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON (e.g. a tunnel error page): show the text as it came.
  }
  return { status: res.status, body: parsed, url };
}
