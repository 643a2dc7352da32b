/**
 * Releases held requests once their sender is mapped: each goes through the normal pipeline (the
 * endpoint's reading, validation, the ingest writer, the triggers), one at a time in arrival order.
 * A release is one commit per request that stores its event only while the request is still held,
 * and its event's idempotency key comes from the request (the sender's key, else its inbox id), so
 * a crash mid-release loses nothing and doubles nothing: what is still held is released on start.
 * The key follows the receiver's rule (dedupe-key.ts): for a request that arrived signed, only what
 * its signature covers, so a captured delivery held again and again is released as one event.
 */
import { endpointTarget, type EndpointTarget } from '../../../shared/events/endpoint-target.js';
import { normalise, normaliseOccurred } from '../../../shared/events/normalize.js';
import type { FieldMapping } from '../../../shared/mapping/model.js';
import type { Settings } from '../../../shared/settings.js';
import { uuidv7 } from '../ids.js';
import type { Logger } from '../log/logger.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { HeldStore, StoredRequest } from '../storage/held-store.js';
import type { MappingStore } from '../storage/mapping-store.js';
import type { HeldRelease, IngestWriter } from './ingest-writer.js';
import { dedupeKey } from './dedupe-key.js';
import { leadReading } from './lead-reading.js';
import { secretFor } from './receiver/webhook-route.js';
import { mustVerifySignature } from './signature-policy.js';
import { verifySignature, type SignedDelivery } from './signatures.js';
import { parseStoredBody } from './stored-body.js';

export interface HeldReleaseDeps {
  held: HeldStore;
  mappings: MappingStore;
  writer: IngestWriter;
  settings: () => Settings;
  secrets: SecretStore;
  log: Logger;
}

export type StoredRead = HeldRelease & { still_held?: boolean; errors?: { path: string; message: string }[] };

/** The signature the receiver verified when the request arrived, checked again over its stored headers and bytes as of then. */
function signedOnArrival(r: StoredRequest, target: EndpointTarget, secrets: SecretStore): SignedDelivery | null {
  const secret = secretFor(secrets, target.name);
  if (!secret || !mustVerifySignature(target.settings, r.headers)) return null;
  const verdict = verifySignature(target.settings.signature, secret, r.body, r.headers, Math.floor(Date.parse(r.received_at) / 1000));
  return verdict.ok ? verdict : null;
}

/** What the receiver would have made of a stored request, read with the saved mappings (or the one given, for a preview). */
export async function readStored(r: StoredRequest, deps: Pick<HeldReleaseDeps, 'mappings' | 'settings' | 'secrets'>, mapping?: FieldMapping): Promise<StoredRead> {
  const parsed = await parseStoredBody(r, deps.settings().receiver.honeypot_field);
  if (!parsed.ok) return { inboxId: r.id, reason: parsed.reason, errors: [{ path: '(body)', message: parsed.reason }] };
  const target = endpointTarget(deps.settings(), r.endpoint);
  if (!target) return { inboxId: r.id, reason: `the address "${r.endpoint}" no longer exists`, still_held: true };
  const reading = leadReading({ mapping: (e, s) => mapping ?? deps.mappings.find(e, s), mapped: () => true }, target, parsed.value);
  const result = normalise(target.kind, parsed.value, r.headers, reading.options);
  if (!result.ok) {
    if (result.held !== undefined) return { inboxId: r.id, reason: result.held, still_held: true };
    const errors = result.errors ?? [{ path: '(body)', message: result.ignored }];
    return { inboxId: r.id, reason: errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors };
  }
  const n = result.value;
  const key = dedupeKey(signedOnArrival(r, target, deps.secrets), r.headers, n.idempotencyKey) ?? `inbox.${r.id}`;
  return {
    inboxId: r.id,
    reason: n.note ?? null,
    event: {
      id: uuidv7(),
      event: n.event,
      occurred: normaliseOccurred(n.occurred, r.received_at),
      received_at: r.received_at,
      source: r.endpoint,
      resource: n.resource,
      payload: n.payload,
      inbox_id: r.id,
      idempotency_key: key,
    },
  };
}

export class HeldReleaser {
  private queue: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** Resolves once every release asked for so far has finished (tests, and stopping). */
  async idle(): Promise<void> {
    while (this.pending) await this.queue;
  }

  constructor(private readonly d: HeldReleaseDeps) {}

  /** Releases one sender's held requests (after those already queued); resolves with how many were read. */
  release(endpoint: string, shape: string): Promise<number> {
    const run = this.queue.then(() => this.releaseNow(endpoint, shape));
    this.queue = run.catch((err: Error) => this.d.log.error('could not release held requests', { error: err }));
    this.pending += 1;
    void run.finally(() => (this.pending -= 1)).catch(() => undefined);
    return run;
  }

  /** On start: what a crash interrupted, and what was held for a sender mapped meanwhile. */
  resume(): Promise<number> {
    const mapped = this.d.held.groups().filter((g) => this.d.mappings.find(g.endpoint, g.shape));
    return Promise.all(mapped.map((g) => this.release(g.endpoint, g.shape))).then((ns) => ns.reduce((a, b) => a + b, 0));
  }

  private async releaseNow(endpoint: string, shape: string): Promise<number> {
    let released = 0;
    for (const id of this.d.held.ids(endpoint, shape)) {
      if (!this.d.mappings.find(endpoint, shape)) break;
      const r = this.d.held.get(id);
      if (!r || r.outcome !== 'held') continue;
      const read = await readStored(r, this.d);
      if (read.still_held) continue;
      await this.d.writer.write({ release: { inboxId: read.inboxId, event: read.event, reason: read.reason } });
      released++;
    }
    if (released) this.d.log.info('released held requests', { endpoint, count: released });
    return released;
  }
}
