/**
 * The few Cloudflare REST API calls that deploy the relay (API v4: bearer token, JSON envelope
 * { success, errors, messages, result }). Errors are turned into sentences the owner can act on.
 */
import { z } from 'zod';
import { RELAY_TOKEN_PERMISSIONS } from '../../../../shared/relay.js';

export const CLOUDFLARE_API = 'https://api.cloudflare.com/client/v4';


const envelope = z.object({
  success: z.boolean(),
  errors: z.array(z.object({ code: z.number(), message: z.string() })).default([]),
  result: z.unknown(),
});

export class CloudflareError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly codes: number[],
  ) {
    super(message);
  }
}

export interface CloudflareClient {
  call<T extends z.ZodType>(method: string, path: string, result: T, body?: BodyInit | object): Promise<z.output<T>>;
}

export function cloudflareClient(token: string, base = CLOUDFLARE_API, timeoutMs = 30_000): CloudflareClient {
  return {
    async call(method, path, result, body) {
      const isForm = body instanceof FormData;
      let res: Response;
      try {
        res = await fetch(`${base}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body !== undefined && !isForm && { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        throw new CloudflareError(`Cloudflare could not be reached: ${(err as Error).message}`, 0, []);
      }
      const text = await res.text();
      let parsed: z.infer<typeof envelope>;
      try {
        parsed = envelope.parse(JSON.parse(text));
      } catch {
        throw new CloudflareError(`Cloudflare answered ${res.status} with something that is not its API's JSON`, res.status, []);
      }
      if (!res.ok || !parsed.success) {
        const codes = parsed.errors.map((e) => e.code);
        const detail = parsed.errors.map((e) => `${e.message} (${e.code})`).join('; ') || `HTTP ${res.status}`;
        const hint =
          res.status === 401 || res.status === 403
            ? ` The API token needs these permissions: ${RELAY_TOKEN_PERMISSIONS.join(', ')}.`
            : '';
        throw new CloudflareError(`Cloudflare refused ${method} ${path.replace(/\/accounts\/[0-9a-f]+/, '/accounts/…')}: ${detail}.${hint}`, res.status, codes);
      }
      return result.parse(parsed.result);
    },
  };
}
