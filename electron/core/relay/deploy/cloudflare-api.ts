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
  result_info: z.object({ page: z.number(), total_pages: z.number() }).partial().optional(),
});

/** Cloudflare's 5xx answers and dropped connections pass; each call is tried this many times. */
const ATTEMPTS = 3;

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
  /** Every page of a list (`result_info.total_pages`), 50 to a page. */
  list<T extends z.ZodType>(path: string, item: T): Promise<z.output<T>[]>;
}

/**
 * Each call is retried on a 5xx answer or a dropped connection (the calls the deployment makes
 * are all safe to repeat: uploads and settings replace what was there), as wrangler retries its
 * API calls (retryOnAPIFailure, packages/wrangler/src/utils/retry.ts in cloudflare/workers-sdk).
 */
export function cloudflareClient(token: string, base = CLOUDFLARE_API, timeoutMs = 30_000, retryDelayMs = 1000): CloudflareClient {
  const once = async (method: string, path: string, body?: BodyInit | object) => {
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
    return parsed;
  };
  const call = async (method: string, path: string, body?: BodyInit | object) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await once(method, path, body);
      } catch (err) {
        const transient = err instanceof CloudflareError && (err.status === 0 || err.status >= 500);
        if (!transient || attempt >= ATTEMPTS) throw err;
        await new Promise((r) => setTimeout(r, retryDelayMs * attempt));
      }
    }
  };
  return {
    async call(method, path, result, body) {
      return result.parse((await call(method, path, body)).result);
    },
    async list(path, item) {
      const out: z.output<typeof item>[] = [];
      for (let page = 1; ; page++) {
        const env = await call('GET', `${path}${path.includes('?') ? '&' : '?'}page=${page}&per_page=50`);
        out.push(...z.array(item).parse(env.result));
        if (page >= (env.result_info?.total_pages ?? 1)) return out;
      }
    },
  };
}
