/**
 * A Leadbell event as a Prefect 3 event (`POST {api}/events` takes a JSON array of these).
 * The id is the Leadbell event id and `occurred` its time, so sending it again is idempotent on
 * Prefect's side. The resource keeps Leadbell's labels (a trigger matching `lead.*` matches in
 * both); the lead, the visitor and the endpoint go in `related` with their role.
 *
 * Prefect's limits are checked here, before anything is sent: an event over a limit is refused
 * with the limit named and never cut down (a Prefect server drops an oversized event without
 * telling the sender, so it must never leave Leadbell).
 */
import type { EventRecord } from '../../../shared/api/models.js';

export const PREFECT_LIMITS = {
  eventNameChars: 1024,
  resourceLabels: 500,
  related: 100,
  /** Bytes of the event as JSON (Prefect's PREFECT_SERVER_EVENTS_MAXIMUM_SIZE_BYTES default). */
  eventBytes: 1_500_000,
} as const;

export type PrefectLimit = 'id' | 'event_name' | 'resource' | 'resource_labels' | 'related' | 'size';

export class PrefectLimitError extends Error {
  constructor(
    readonly limit: PrefectLimit,
    message: string,
  ) {
    super(message);
  }
}

export type Labels = Record<string, string>;

export interface PrefectEvent {
  id: string;
  occurred: string;
  event: string;
  resource: Labels;
  related: Labels[];
  payload: Record<string, unknown>;
}

/** What an event is linked to, found by the caller (the lead may not exist yet: then it is left out). */
export interface EventLinks {
  lead?: { id: string; email: string } | null;
  visitorId?: string | null;
  /** The endpoint the request came in on (the event's source). */
  endpoint?: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function related(role: string, id: string, name: string | null): Labels {
  return { 'prefect.resource.id': id, 'prefect.resource.role': role, ...(name ? { 'prefect.resource.name': name } : {}) };
}

export function relatedResources(links: EventLinks): Labels[] {
  const out: Labels[] = [];
  if (links.lead) out.push(related('lead', `leadbell.lead.${links.lead.id}`, links.lead.email));
  if (links.visitorId) out.push(related('visitor', `leadbell.visitor.${links.visitorId}`, null));
  if (links.endpoint) out.push(related('endpoint', `leadbell.endpoint.${links.endpoint}`, links.endpoint));
  return out;
}

/**
 * The event's size as Prefect measures it: the JSON of the event it stores, which adds `follows`
 * and the time it was received (with microseconds) to what was sent.
 */
export function prefectSizeBytes(e: PrefectEvent): number {
  return Buffer.byteLength(JSON.stringify({ ...e, follows: null, received: '2026-01-01T00:00:00.000000Z' }));
}

/** Throws PrefectLimitError naming the first limit the event breaks. */
export function checkPrefectLimits(e: PrefectEvent): void {
  const fail = (limit: PrefectLimit, message: string): never => {
    throw new PrefectLimitError(limit, `event ${e.id} cannot go to Prefect: ${message}`);
  };
  if (!UUID.test(e.id)) fail('id', `its id "${e.id}" is not a UUID`);
  if (e.event.length === 0) fail('event_name', 'its name is empty');
  if (e.event.length > PREFECT_LIMITS.eventNameChars) {
    fail('event_name', `its name has ${e.event.length} characters (Prefect allows ${PREFECT_LIMITS.eventNameChars})`);
  }
  if (!e.resource['prefect.resource.id']) fail('resource', 'its resource has no "prefect.resource.id" label');
  for (const [i, r] of [e.resource, ...e.related].entries()) {
    const labels = Object.keys(r).length;
    const which = i === 0 ? 'its resource' : `related resource ${i}`;
    if (labels > PREFECT_LIMITS.resourceLabels) fail('resource_labels', `${which} has ${labels} labels (Prefect allows ${PREFECT_LIMITS.resourceLabels})`);
  }
  if (e.related.length > PREFECT_LIMITS.related) fail('related', `it has ${e.related.length} related resources (Prefect allows ${PREFECT_LIMITS.related})`);
  const bytes = prefectSizeBytes(e);
  if (bytes > PREFECT_LIMITS.eventBytes) fail('size', `it is ${bytes} bytes as JSON (Prefect allows ${PREFECT_LIMITS.eventBytes})`);
}

export function toPrefectEvent(e: EventRecord, links: EventLinks = {}): PrefectEvent {
  const out: PrefectEvent = {
    id: e.id.toLowerCase(),
    occurred: e.occurred,
    event: e.event,
    resource: { ...e.resource },
    related: relatedResources({ endpoint: e.source, ...links }),
    payload: e.payload,
  };
  checkPrefectLimits(out);
  return out;
}
