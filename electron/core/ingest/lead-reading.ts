/**
 * What the receiver (and a release of held requests) reads a lead body with: the body's shape,
 * the mapping the owner saved for it on this endpoint, and a named endpoint's segment and source.
 */
import { shapeOf } from '../../../shared/mapping/fingerprint.js';
import type { EndpointTarget } from '../../../shared/events/endpoint-target.js';
import type { ReadOptions } from '../../../shared/mapping/read-lead.js';
import type { HeldDeps } from './receiver/scope.js';

export interface LeadReading {
  /** Null for endpoints whose bodies are never mapped (visits, email engagement, the generic envelope). */
  shape: string | null;
  options: ReadOptions;
}

const MAPPED_ENDPOINTS = new Set(['lead-optin', 'assessment']);

export function isMapped(target: Pick<EndpointTarget, 'kind'>): boolean {
  return MAPPED_ENDPOINTS.has(target.kind);
}

export function leadReading(
  held: Pick<HeldDeps, 'mapping'> | undefined,
  target: Pick<EndpointTarget, 'name' | 'kind' | 'defaults'>,
  body: Record<string, unknown>,
): LeadReading {
  if (!isMapped(target)) return { shape: null, options: {} };
  const shape = shapeOf(body);
  return { shape, options: { mapping: held?.mapping(target.name, shape), defaults: target.defaults } };
}
