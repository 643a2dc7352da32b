/**
 * When the receiver checks a request's signature. Without a secret there is nothing to check
 * against, and 'none' means the owner turned checking off. A public browser form cannot keep a
 * secret, so it may arrive unsigned; but a signature that is present is always checked, on every
 * endpoint: a wrong one is never waved through because the endpoint also takes unsigned posts.
 */
import type { EndpointSettings } from '../../../shared/settings.js';
import { SIGNATURE_HEADERS, type CheckedScheme, type Headers } from './signatures.js';

export function carriesSignature(h: Headers): boolean {
  return SIGNATURE_HEADERS.some((name) => h[name] !== undefined);
}

/** Whether to verify, once a secret is set for the endpoint. */
export function mustVerifySignature(ep: EndpointSettings, h: Headers): ep is EndpointSettings & { signature: CheckedScheme } {
  if (ep.signature === 'none') return false;
  return !ep.public_form || carriesSignature(h);
}
