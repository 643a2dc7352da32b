/**
 * The seam for forwarding events to Prefect: how a batch is cut, how the request to
 * `POST {api}/events` is built (HTTP Basic for a self-hosted server's auth string, Bearer for a
 * Cloud API key), and what each answer means for the sender. No I/O and no state here: the
 * durable outbox that will send (and retry, and report) uses these.
 */
import type { PrefectEvent } from './event-mapping.js';
import { prefectSizeBytes } from './event-mapping.js';

export interface PrefectServer {
  /** PREFECT_API_URL: http://host:4200/api, or a Cloud workspace's API URL. */
  apiUrl: string;
  /** PREFECT_API_KEY (Prefect Cloud). */
  apiKey?: string | null;
  /** PREFECT_API_AUTH_STRING, "user:pass" (a self-hosted server with PREFECT_SERVER_API_AUTH_STRING). */
  authString?: string | null;
}

/** Batches stay well below what a proxy in front of Prefect would refuse. */
export const BATCH_LIMITS = { events: 200, bytes: 4_000_000 } as const;

/** Cuts events into batches in order, each within BATCH_LIMITS (an event is never split). */
export function cutBatches(events: readonly PrefectEvent[], limits: { events: number; bytes: number } = BATCH_LIMITS): PrefectEvent[][] {
  const out: PrefectEvent[][] = [];
  let current: PrefectEvent[] = [];
  let bytes = 2;
  for (const e of events) {
    const size = prefectSizeBytes(e) + 1;
    if (current.length && (current.length >= limits.events || bytes + size > limits.bytes)) {
      out.push(current);
      current = [];
      bytes = 2;
    }
    current.push(e);
    bytes += size;
  }
  if (current.length) out.push(current);
  return out;
}

export function eventsRequest(server: PrefectServer, events: readonly PrefectEvent[]): { url: string; method: 'POST'; headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (server.authString) headers.authorization = `Basic ${Buffer.from(server.authString, 'utf8').toString('base64')}`;
  else if (server.apiKey) headers.authorization = `Bearer ${server.apiKey}`;
  return { url: `${server.apiUrl.replace(/\/+$/, '')}/events`, method: 'POST', headers, body: JSON.stringify(events) };
}

export type PrefectAnswer =
  /** 2xx: every event of the batch is stored (a resent id is kept once). */
  | { kind: 'sent' }
  /** 401, 403, 404, 405: nothing will work until the settings change; stop and say why. */
  | { kind: 'stopped'; status: number; detail: string }
  /** 422: the batch was refused; `events` gives Prefect's reason per index (the others can be resent). */
  | { kind: 'rejected'; detail: string; events: Map<number, string> }
  /** 408, 429, 5xx, no answer: try again later (after `retryAfterMs` when Prefect said). */
  | { kind: 'retry'; status: number | null; detail: string; retryAfterMs: number | null };

function detailOf(body: string): string {
  try {
    const j = JSON.parse(body) as { exception_message?: unknown; detail?: unknown };
    const d = j.exception_message ?? j.detail;
    if (typeof d === 'string') return d;
  } catch {
    // not JSON: use the text
  }
  return body.slice(0, 300) || 'no details';
}

function reasons(body: string): Map<number, string> {
  const out = new Map<number, string>();
  try {
    const j = JSON.parse(body) as { exception_detail?: { loc?: unknown[]; msg?: unknown }[] };
    for (const d of j.exception_detail ?? []) {
      const [where, index, ...field] = d.loc ?? [];
      if (where !== 'body' || typeof index !== 'number') continue;
      const reason = `${field.length ? `${field.join('.')}: ` : ''}${String(d.msg)}`;
      out.set(index, out.has(index) ? `${out.get(index)}; ${reason}` : reason);
    }
  } catch {
    // a 422 without FastAPI's details: the caller has the detail text only
  }
  return out;
}

/** `status` null: the request never got an answer (refused connection, timeout, reset). */
export function readPrefectAnswer(status: number | null, body: string, retryAfter?: string | null, error?: string): PrefectAnswer {
  if (status === null) return { kind: 'retry', status: null, detail: error ?? 'no answer', retryAfterMs: null };
  if (status >= 200 && status < 300) return { kind: 'sent' };
  const detail = detailOf(body);
  if (status === 422) return { kind: 'rejected', detail, events: reasons(body) };
  if (status === 408 || status === 429 || status >= 500) {
    const seconds = retryAfter ? Number(retryAfter) : NaN;
    return { kind: 'retry', status, detail, retryAfterMs: Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null };
  }
  const why = status === 401 || status === 403 ? 'the API key or auth string was refused' : status === 404 ? 'no events API at this URL (check PREFECT_API_URL)' : `HTTP ${status}`;
  return { kind: 'stopped', status, detail: `${why}: ${detail}` };
}
