/**
 * A vendor call's failure, classified once where it happens and turned into the owner's words in
 * one place. Send test, Connected apps, Run history and the lead timeline all read the stored
 * classification through `failureWords`; the raw text stays behind "Details".
 */
import { z } from 'zod';
import { INTEGRATIONS, isIntegrationName, type IntegrationEntry } from './integrations/index.js';

/**
 * - `key_refused`: 401/403, or an answer the app's catalog entry names (`keyRefused`: Meta's 400
 *   with error.code 190), the app refuses the key (its lane waits for a new one).
 * - `unreachable`: no answer: connection refused or reset, unknown host, timeout.
 * - `rate_limited`: 429, the app asked to slow down.
 * - `refused`: any other 4xx, or data Leadbell could not send; `said` is the app's own message.
 * - `vendor_error`: 5xx, a problem on the app's side.
 */
export const failureKind = z.enum(['key_refused', 'unreachable', 'rate_limited', 'refused', 'vendor_error']);
export type FailureKind = z.infer<typeof failureKind>;

export const callFailure = z.object({
  kind: failureKind,
  /** What the app itself said, secrets masked; null when it said nothing useful. */
  said: z.string().nullable(),
});
export type CallFailure = z.infer<typeof callFailure>;

/** The kind of failure an HTTP status means (null or undefined: the app never answered). */
export function failureOfStatus(status: number | null | undefined): FailureKind {
  if (status === null || status === undefined) return 'unreachable';
  if (status === 401 || status === 403) return 'key_refused';
  if (status === 429) return 'rate_limited';
  if (status === 408 || status >= 500) return 'vendor_error';
  return 'refused';
}

/**
 * The kind of failure an app's answer means: its catalog entry's `keyRefused` answers first (one
 * rule per app, as data), then the status.
 */
export function failureOfAnswer(integration: string, status: number, json: unknown): FailureKind {
  const rules = isIntegrationName(integration) ? (INTEGRATIONS[integration] as IntegrationEntry).keyRefused : undefined;
  if (rules?.some((r) => r.status === status && r.values.includes(fieldAt(json, r.field) as number | string))) return 'key_refused';
  return failureOfStatus(status);
}

function fieldAt(json: unknown, path: readonly string[]): unknown {
  let v = json;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

/**
 * "Loops refused the API key", "Discord could not be reached", "Notion refused the data: <its
 * message>". `keyLabel` names what the app refused ("webhook URL"); an API key unless said.
 */
export function failureWords(appLabel: string, failure: CallFailure, keyLabel = 'API key'): string {
  switch (failure.kind) {
    case 'key_refused':
      return `${appLabel} refused the ${keyLabel}`;
    case 'unreachable':
      return `${appLabel} could not be reached`;
    case 'rate_limited':
      return `${appLabel} asked Leadbell to slow down`;
    case 'vendor_error':
      return `${appLabel} had a problem on its side`;
    case 'refused':
      return failure.said ? `${appLabel} refused the data: ${failure.said}` : `${appLabel} refused the data`;
  }
}

/** The words for a failure of a catalog app, naming its own key ("Discord refused the webhook URL"). */
export function appFailureWords(integration: string, failure: CallFailure): string {
  if (!isIntegrationName(integration)) return failureWords(integration, failure);
  const entry = INTEGRATIONS[integration];
  const secret = entry.secrets[0]?.label.replace(/\s*\(.*\)$/, '');
  const keyLabel = secret ? (/^[A-Z][a-z]/.test(secret) ? secret[0]!.toLowerCase() + secret.slice(1) : secret) : undefined;
  return failureWords(entry.label, failure, keyLabel);
}

/** How long until a moment, in the owner's words: "next try in 2 h", "next try in 5 min", "next try now". */
export function nextTryWords(at: string | null, now: number): string | null {
  if (!at) return null;
  const ms = Date.parse(at) - now;
  if (!Number.isFinite(ms)) return null;
  if (ms < 1_000) return 'next try now';
  if (ms < 60_000) return `next try in ${Math.ceil(ms / 1000)} s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `next try in ${minutes} min`;
  const hours = Math.round(minutes / 60);
  return `next try in ${hours} h`;
}
