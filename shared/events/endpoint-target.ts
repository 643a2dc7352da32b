/**
 * What a webhook path names: a built-in endpoint, or a named endpoint the owner added (an address
 * per form), resolved to the built-in endpoint it acts as, its settings and its defaults.
 */
import type { LeadDefaults } from '../mapping/read-lead.js';
import type { EndpointSettings, Settings } from '../settings.js';
import { ENDPOINT_INFO, ENDPOINTS, isEndpointName, type EndpointName } from './catalog.js';

export interface EndpointTarget {
  /** As spelled in the path, and as the inbox, events and mappings record it. */
  name: string;
  /** The built-in endpoint whose event it makes. */
  kind: EndpointName;
  title: string;
  settings: EndpointSettings;
  defaults: LeadDefaults;
  named: boolean;
}

export function endpointTarget(s: Settings, name: string): EndpointTarget | undefined {
  if (isEndpointName(name)) {
    return { name, kind: name, title: ENDPOINT_INFO[name].title, settings: s.receiver.endpoints[name], defaults: {}, named: false };
  }
  const n = s.receiver.named_endpoints.find((e) => e.slug === name);
  if (!n) return undefined;
  const { slug, name: title, kind, segment, source, ...settings } = n;
  return { name: slug, kind, title, settings, defaults: { segment, source }, named: true };
}

/** The built-in endpoints, then the owner's named ones. */
export function endpointTargets(s: Settings): EndpointTarget[] {
  return [...ENDPOINTS, ...s.receiver.named_endpoints.map((e) => e.slug)].map((n) => endpointTarget(s, n)!);
}
