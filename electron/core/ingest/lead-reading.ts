/**
 * What the receiver (and a release of held requests) reads a lead body with: the body's shape and
 * the mapping the owner saved for it on this endpoint.
 */
import { shapeOf } from '../../../shared/mapping/fingerprint.js';
import type { ReadOptions } from '../../../shared/mapping/read-lead.js';
import type { HeldDeps } from './receiver/scope.js';

export interface LeadReading {
  /** Null for endpoints whose bodies are never mapped (visits, email engagement, the generic envelope). */
  shape: string | null;
  options: ReadOptions;
}

const MAPPED_ENDPOINTS = new Set(['lead-optin', 'assessment']);

export function leadReading(held: Pick<HeldDeps, 'mapping'> | undefined, endpoint: string, body: Record<string, unknown>): LeadReading {
  if (!MAPPED_ENDPOINTS.has(endpoint)) return { shape: null, options: {} };
  const shape = shapeOf(body);
  return { shape, options: { mapping: held?.mapping(endpoint, shape) } };
}
