/**
 * What the receiver's plugins share: the live settings, the dependencies, and `record`, which
 * writes a request to the inbox (within the reject budget) before it is answered.
 */
import type { FastifyRequest } from 'fastify';
import type { FieldMapping } from '../../../../shared/mapping/model.js';
import type { Settings } from '../../../../shared/settings.js';
import type { Logger } from '../../log/logger.js';
import type { Pressure } from '../../scheduling/pressure.js';
import type { SecretStore } from '../../secrets/secret-store.js';
import type { Outcome } from '../../storage/inbox-store.js';
import type { SettingsStore } from '../../storage/settings-store.js';
import type { ClientAddressSource } from '../../tunnel/provider.js';
import type { IngestItem, IngestResult, IngestWriter } from '../ingest-writer.js';
import { RejectBudget } from '../reject-budget.js';
import type { RelayedContext } from '../relayed.js';
import { sanitiseHeaders, sanitisePath } from '../request-meta.js';
import type { ServerLimits } from '../server-limits.js';

export const WEBHOOK_PREFIX = '/api/webhooks/';
export const TEST_FIRE_HEADER = 'x-leadbell-test-fire';
/** With the test-fire header: the owner chose to send the test to the connected apps for real. */
export const SEND_FOR_REAL_HEADER = 'x-leadbell-send-for-real';

export interface ReceiverDeps {
  settings: SettingsStore;
  secrets: SecretStore;
  writer: IngestWriter;
  log: Logger;
  /** A per-process value that marks the owner's own test-fire requests. */
  testFireNonce: string;
  /** Identifies this process on /health, so a tunnel check knows it reached us. */
  instanceId: string;
  /** Called when storage fails or recovers, for the status shown in the UI. */
  onStorageResult: (error: Error | null) => void;
  /** Told of every request, so background work yields during a burst. */
  pressure?: Pressure;
  /** How far the current tunnel provider vouches for the client address; unset: not at all. */
  tunnelClientAddress?: () => ClientAddressSource;
  /** Timeouts and connection cap of both listeners (defaults: DEFAULT_SERVER_LIMITS). */
  limits?: Partial<ServerLimits>;
  /** Saved mappings and room for held requests (unset: nothing mapped, holding always has room). */
  held?: HeldDeps;
}

export interface HeldDeps {
  mapping(endpoint: string, shape: string): FieldMapping | undefined;
  /** Whether any sender is mapped on the endpoint (if not, a body's shape is not needed to read it). */
  mapped(endpoint: string): boolean;
  /** Held requests are never pruned, so they have a cap of their own (the inbox's size limit). */
  roomToHold(bytes: number): boolean;
}

/** Who sent a request and how it arrived, set by the guard before anything else runs. */
export interface RequestContext {
  ip: string;
  via: 'direct' | 'tunnel' | 'test-fire' | 'relay' | 'replay';
  endpoint: string | null;
  receivedAt: string;
  relay?: RelayedContext;
}

declare module 'fastify' {
  interface FastifyRequest {
    leadbell: RequestContext;
    rawBody?: Buffer;
  }
}

export interface ReceiverScope {
  deps: ReceiverDeps;
  /** The settings as they are now (they change while the receiver runs). */
  settings(): Settings;
  /** Stores the request in the inbox; null when it was not stored (budget spent, or storage failed). */
  record(
    req: FastifyRequest,
    status: number,
    outcome: Outcome,
    reason: string | null,
    event?: IngestItem['event'],
    shape?: string,
  ): Promise<IngestResult | null>;
}

export function createScope(deps: ReceiverDeps): ReceiverScope {
  const { writer, log } = deps;
  let current = deps.settings.get();
  deps.settings.onChange((s) => {
    current = s;
  });
  const rejects = new RejectBudget((n) => log.warn('rejected requests answered but not stored (over the budget)', { count: n }));

  const record: ReceiverScope['record'] = async (req, status, outcome, reason, event, shape) => {
    // A spam record backs a 2xx the bot was given, so only plain rejections are skipped past the
    // budget; the owner's replays are always recorded (a bulk replay reads each outcome there).
    const replayOf = req.leadbell.relay?.replayOf;
    if (outcome === 'rejected' && replayOf === undefined && !rejects.take()) return null;
    // A replay makes at most one event per stored request, whatever the crash or double click: the
    // sender's own key when it has one (so it also meets the sender's retries), else the request's
    // inbox id, as a held request's release does (held-release.ts).
    if (event && replayOf !== undefined && !event.idempotency_key) event = { ...event, idempotency_key: `inbox.${replayOf}` };
    const body = (req.rawBody ?? Buffer.alloc(0)).subarray(0, current.receiver.max_body_bytes);
    const declared = req.rawBody?.length ?? Number(req.headers['content-length'] ?? 0);
    const size = Number.isFinite(declared) ? declared : 0;
    try {
      const result = await writer.write({
        inbox: {
          received_at: req.leadbell.receivedAt,
          endpoint: req.leadbell.endpoint,
          method: req.method,
          path: sanitisePath(req.url),
          client_ip: req.leadbell.ip,
          via: req.leadbell.via,
          headers: sanitiseHeaders(req.headers),
          content_type: req.headers['content-type'] ?? null,
          body,
          body_size: size,
          body_truncated: body.length < size,
          status,
          outcome,
          reason,
          event_id: null,
          relay_id: req.leadbell.relay?.relayId ?? null,
          shape: shape ?? null,
          replay_of: replayOf ?? null,
        },
        event,
      });
      if (req.leadbell.relay) {
        req.leadbell.relay.stored = true;
        req.leadbell.relay.inboxId = result.inboxId;
      }
      deps.onStorageResult(null);
      return result;
    } catch (err) {
      deps.onStorageResult(err as Error);
      log.error('could not store a request', { error: err as Error, endpoint: req.leadbell.endpoint });
      if (event) throw err;
      return null;
    }
  };

  return { deps, settings: () => current, record };
}

export function originAllowed(s: Settings, origin: string): boolean {
  const list = s.receiver.allowed_origins;
  return list.includes('*') || list.includes(origin.replace(/\/$/, ''));
}
