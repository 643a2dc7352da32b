import { z } from 'zod';

/**
 * An http(s) address. Every URL Leadbell calls or hands out (vendor base URLs, the tunnel server,
 * the relay, the thank-you page) is one; `z.url()` alone would also take ftp:, file: or
 * javascript: and fail only later, far from where the value was given.
 */
export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// address' });
