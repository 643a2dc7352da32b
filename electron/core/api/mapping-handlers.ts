/** Held requests and mappings: what waits for the owner, previewing a mapping, saving it (which releases the waiting requests). */
import type { ApiHandlers } from '../../../shared/api/contract.js';
import type { MappingPreview, SavedMappingView } from '../../../shared/api/models.js';
import { readFrom } from '../../../shared/mapping/apply.js';
import { leaves, pathLabel } from '../../../shared/mapping/key-paths.js';
import type { Settings } from '../../../shared/settings.js';
import type { HeldReleaser } from '../ingest/held-release.js';
import { readStored } from '../ingest/held-release.js';
import { endpointTarget } from '../../../shared/events/endpoint-target.js';
import { isMapped } from '../ingest/lead-reading.js';
import { parseStoredBody } from '../ingest/stored-body.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { HeldStore } from '../storage/held-store.js';
import type { MappingStore, SavedMapping } from '../storage/mapping-store.js';
import { ApiError, notFound } from './api-error.js';
import type { LiveBus } from './live-bus.js';

export interface MappingHandlerDeps {
  held: HeldStore;
  mappings: MappingStore;
  releaser: HeldReleaser;
  settings: () => Settings;
  /** To read a held request's signature as the receiver did (it decides the event's key). */
  secrets: SecretStore;
  live: LiveBus;
  now?: () => string;
}

export type MappingHandlers = Pick<ApiHandlers, 'listHeldSenders' | 'previewMapping' | 'listMappings' | 'saveMapping' | 'deleteMapping'>;

/** A preview reads this many of the sender's latest requests. */
export const PREVIEW_REQUESTS = 20;
const VALUE_CHARS = 200;

const view = (m: SavedMapping): SavedMappingView => ({ ...m, read_from: readFrom(m.mapping) });
const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? v : null);

export function mappingHandlers(d: MappingHandlerDeps): MappingHandlers {
  const now = d.now ?? (() => new Date().toISOString());
  const mappable = (endpoint: string) => {
    const target = endpointTarget(d.settings(), endpoint);
    if (!target) throw notFound(`address "${endpoint}"`);
    if (!isMapped(target)) {
      throw new ApiError('invalid_input', `requests to "${endpoint}" are not mapped: only lead endpoints are`, [
        { path: 'endpoint', message: 'is not a lead endpoint' },
      ]);
    }
  };
  return {
    listHeldSenders: async () => {
      const honeypot = d.settings().receiver.honeypot_field;
      const items = await Promise.all(d.held.groups().map(async (g) => {
        const first = d.held.get(g.first_id)!;
        const parsed = await parseStoredBody(first, honeypot);
        const fields = parsed.ok
          ? leaves(parsed.value).map((l) => ({ path: l.path, label: pathLabel(l.path), value: String(l.value).slice(0, VALUE_CHARS) }))
          : [];
        return { endpoint: g.endpoint, shape: g.shape, count: g.count, first_at: g.first_at, last_at: g.last_at, reason: g.reason, request_id: g.first_id, fields };
      }));
      return { items, total: items.reduce((n, g) => n + g.count, 0) };
    },
    previewMapping: async ({ endpoint, shape, mapping }) => {
      mappable(endpoint);
      const items = await Promise.all(d.held.lastOfShape(endpoint, shape, PREVIEW_REQUESTS).map(async (r): Promise<MappingPreview> => {
        const read = await readStored(r, { mappings: d.mappings, settings: d.settings, secrets: d.secrets }, mapping);
        const p = read.event?.payload;
        return {
          request_id: r.id,
          received_at: r.received_at,
          held: r.outcome === 'held',
          lead: p
            ? {
                email: String(p.email),
                first_name: text(p.first_name) as string | null,
                last_name: text(p.last_name) as string | null,
                phone: text(p.phone) as string | null,
                segment: text(p.segment) as string | null,
                source: text(p.source) as string | null,
                score: typeof p.score === 'number' ? p.score : null,
              }
            : null,
          errors: read.errors ?? (read.event ? [] : [{ path: 'email', message: read.reason ?? 'could not be read' }]),
        };
      }));
      if (!items.length) throw notFound(`requests of that sender on "${endpoint}"`);
      return { items };
    },
    listMappings: async () => ({ items: d.mappings.list().map(view) }),
    saveMapping: async ({ endpoint, shape, mapping }) => {
      mappable(endpoint);
      const saved = d.mappings.save(endpoint, shape, mapping, now());
      const waiting = d.held.ids(endpoint, shape).length;
      // Released in the background, oldest first; each one shows up in Events as it goes through.
      void d.releaser.release(endpoint, shape).catch(() => undefined);
      d.live.publish({ topic: 'request' });
      return { ...view(saved), released: waiting };
    },
    deleteMapping: async ({ id }) => {
      if (!d.mappings.remove(id)) throw notFound(`mapping ${id}`);
      d.live.publish({ topic: 'request' });
      return { ok: true as const };
    },
  };
}
