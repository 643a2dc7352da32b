/**
 * What the receiver (and a release of held requests) reads a lead body with: the body's shape,
 * the mapping the owner saved for it on this endpoint, and a named endpoint's segment and source.
 */
import { shapeOf } from '../../../shared/mapping/fingerprint.js';
import type { EndpointTarget } from '../../../shared/events/endpoint-target.js';
import type { ReadOptions } from '../../../shared/mapping/read-lead.js';
import type { HeldDeps } from './receiver/scope.js';

export interface LeadReading {
  /**
   * The body's shape, worked out when first asked for (a body in Leadbell's own names on an
   * address with no mappings never needs it). Null for endpoints whose bodies are never mapped.
   */
  shape: (() => string) | null;
  options: ReadOptions;
}

const MAPPED_ENDPOINTS = new Set(['lead-optin', 'assessment']);

export function isMapped(target: Pick<EndpointTarget, 'kind'>): boolean {
  return MAPPED_ENDPOINTS.has(target.kind);
}

export function leadReading(
  held: Pick<HeldDeps, 'mapping' | 'mapped'> | undefined,
  target: Pick<EndpointTarget, 'name' | 'kind' | 'defaults'>,
  body: Record<string, unknown>,
): LeadReading {
  if (!isMapped(target)) return { shape: null, options: {} };
  let known: string | undefined;
  const shape = () => (known ??= shapeOf(body));
  const mapping = held?.mapped(target.name) ? held.mapping(target.name, shape()) : undefined;
  return { shape, options: { mapping, defaults: target.defaults } };
}
