/**
 * One outbound HTTP call, the same way for every vendor: wait for the vendor's rate pacer, send
 * with a timeout, and classify the answer. 2xx (or an answer the caller accepts) returns; 429,
 * 408, 5xx, timeouts and unreachable hosts throw RetryableError (Retry-After honoured, and a 429
 * pauses the vendor's pacer); any other answer throws PermanentError with the vendor's message.
 * Vendor quirks come in through the small hooks of VendorProfile, never copies of this function.
 */
import { failureOfAnswer } from '../../../shared/failure-words.js';
import type { Logger } from '../log/logger.js';
import { PermanentError, RetryableError } from '../integrations/types.js';
import { withoutSecrets } from './mask.js';
import { CallTimeoutError, type HttpSend, type WireHeaders } from './http-transport.js';
import type { VendorPacer } from './rate-limiter.js';

export const DEFAULT_TIMEOUT_MS = 15_000;
/** A vendor-imposed pause up to this long is waited out in memory; a longer one is the runner's to schedule. */
export const MAX_PAUSE_WAIT_MS = 30_000;
const MAX_DETAIL_CHARS = 300;

export interface OutboundRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  /** The URL as logs may show it: webhook URLs carry tokens. Defaults to `url`. */
  safeUrl?: string;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is with the given headers (e.g. a signed body, whose bytes must not change). */
  body?: string;
  /** Statuses that are answers rather than failures, e.g. Loops' 409 for a reused idempotency key. */
  accept?: number[];
}

export interface OutboundResponse {
  status: number;
  headers: WireHeaders;
  text: string;
  /** The parsed body when it is JSON, else undefined. */
  json: unknown;
}

export interface VendorProfile {
  /** Shown in messages: "Loops answered 401: Invalid API key". */
  name: string;
  /** The app's catalog name, whose entry says which answers refuse its key (failureOfAnswer). */
  integration?: string;
  pacer: VendorPacer;
  send: HttpSend;
  log: Logger;
  timeoutMs?: number;
  /** This account's credentials, masked out of anything the vendor says back (errors, logs). */
  secrets?: string[];
  /** The vendor's own explanation in an error answer. */
  errorMessage?(res: OutboundResponse): string | undefined;
  /** A delay the vendor put in the body (ms), used when there is no Retry-After header. */
  retryAfterFromBody?(res: OutboundResponse): number | undefined;
  /**
   * Non-2xx answers the vendor means differently from their status: "slow down" without a 429
   * (Meta's rate-limit codes), or "try again" on a 4xx (Notion's 409 conflict_error).
   */
  classify?(res: OutboundResponse): 'rate-limited' | 'retryable' | undefined;
}

/** Retry-After in delta-seconds or as an HTTP-date, in ms; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function reason(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const code = (cause as { code?: unknown })?.code;
  const message = cause instanceof Error ? cause.message : String(cause);
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function httpCall(vendor: VendorProfile, req: OutboundRequest, signal?: AbortSignal): Promise<OutboundResponse> {
  const timeoutMs = vendor.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const target = req.safeUrl ?? req.url;
  const cancelled = () => new RetryableError(`the call to ${vendor.name} was cancelled`);

  // A long vendor-imposed pause is waited out by the caller's durable retry, not in memory.
  const paused = vendor.pacer.pausedForMs();
  if (paused > MAX_PAUSE_WAIT_MS) {
    throw new RetryableError(`${vendor.name} asked to slow down: next call allowed in ${seconds(paused)}`, paused, 429);
  }
  let release: () => void;
  try {
    release = await vendor.pacer.acquire(signal);
  } catch {
    throw cancelled();
  }

  const started = performance.now();
  let res: OutboundResponse;
  try {
    const body = req.json !== undefined ? JSON.stringify(req.json) : req.body;
    const headers = { accept: 'application/json', ...(req.json !== undefined && { 'content-type': 'application/json' }), ...req.headers };
    const answer = await vendor.send({ method: req.method, url: req.url, headers, body }, { signal, timeoutMs });
    res = { ...answer, json: parseJson(answer.text) };
  } catch (err) {
    release();
    const ms = Math.round(performance.now() - started);
    const why = withoutSecrets(reason(err), vendor.secrets ?? []);
    vendor.log.warn('outbound call failed', { vendor: vendor.name, method: req.method, url: target, ms, error: why });
    if (signal?.aborted) throw cancelled();
    if (err instanceof CallTimeoutError) throw new RetryableError(`${vendor.name} did not answer within ${seconds(timeoutMs)}`);
    throw new RetryableError(`${vendor.name} could not be reached: ${why}`);
  }

  const ms = Math.round(performance.now() - started);
  const ok = (res.status >= 200 && res.status < 300) || Boolean(req.accept?.includes(res.status));
  const fields = { vendor: vendor.name, method: req.method, url: target, status: res.status, ms };
  if (ok) {
    release();
    vendor.log.debug('outbound call', fields);
    return res;
  }

  const said = withoutSecrets(vendor.errorMessage?.(res) ?? (res.text.trim() || `HTTP ${res.status}`), vendor.secrets ?? []);
  const message = `${vendor.name} answered ${res.status}: ${said.slice(0, MAX_DETAIL_CHARS)}`;
  const quirk = vendor.classify?.(res);
  const rateLimited = res.status === 429 || quirk === 'rate-limited';
  const retryable = rateLimited || quirk === 'retryable' || res.status === 408 || res.status >= 500;
  const retryAfterMs = retryable ? (parseRetryAfter(res.headers.get('retry-after')) ?? vendor.retryAfterFromBody?.(res)) : undefined;
  // Paused before this call's place is freed, so no waiting call slips out in between. Without a
  // Retry-After, back off on our own for one of the vendor's windows.
  if (rateLimited) vendor.pacer.pause(retryAfterMs ?? vendor.pacer.policy.windowMs);
  release();
  vendor.log.warn('outbound call refused', { ...fields, detail: said.slice(0, MAX_DETAIL_CHARS) });
  // The vendor's own words for the owner: its message, or a short plain-text answer (not a page).
  const plain = vendor.errorMessage?.(res) !== undefined || (res.text.trim() !== '' && !res.text.trimStart().startsWith('<'));
  const own = plain ? said.slice(0, MAX_DETAIL_CHARS) : undefined;
  const kind = vendor.integration ? failureOfAnswer(vendor.integration, res.status, res.json) : undefined;
  if (retryable) throw new RetryableError(message, retryAfterMs, res.status, own, kind);
  throw new PermanentError(message, res.status, own, kind);
}
