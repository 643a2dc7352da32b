import { z } from 'zod';

/**
 * An http(s) address. Every URL Leadbell calls or hands out (vendor base URLs, the tunnel server,
 * the relay, the thank-you page) is one, and so is every address in an event (a visited page, a
 * clicked link), which goes on into emails and alerts; `z.url()` alone would also take ftp:,
 * file:, data: or javascript: and fail only later, far from where the value was given.
 */
export const HTTP_URL_MESSAGE = 'must be an http:// or https:// address';
export const httpUrl = z.url({ protocol: /^https?$/, error: HTTP_URL_MESSAGE });

/** The same rule for a field a sender fills in, which may also be missing. */
export const httpUrlField = z.url({ protocol: /^https?$/, error: (iss) => (iss.input === undefined ? 'is required' : HTTP_URL_MESSAGE) });
