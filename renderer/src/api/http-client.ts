/**
 * The HTTP transport (headless mode): each contract method becomes a fetch to its route on the
 * admin port, authorised by the session cookie; answers are checked against the contract.
 */
import { contract, METHOD_NAMES, type ApiClient, type MethodName } from '../../../shared/api/contract.js';
import { ApiClientError } from './errors.js';

export interface HttpRequestSpec {
  method: string;
  url: string;
  body?: string;
}

/** Fills the route's `:params` from the input; the rest goes in the query (GET/DELETE) or the JSON body. */
export function buildRequest(name: MethodName, input: Record<string, unknown>): HttpRequestSpec {
  const { method, path } = contract[name].http;
  const rest: Record<string, unknown> = { ...input };
  const url = path.replace(/:([a-z_]+)/g, (_m, key: string) => {
    const value = rest[key];
    delete rest[key];
    return encodeURIComponent(String(value ?? ''));
  });
  if (method === 'GET' || method === 'DELETE') {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(rest)) {
      if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
    }
    const q = qs.toString();
    return { method, url: q ? `${url}?${q}` : url };
  }
  return { method, url, body: JSON.stringify(rest) };
}

async function call(name: MethodName, input: unknown, baseUrl: string): Promise<unknown> {
  const spec = buildRequest(name, (input ?? {}) as Record<string, unknown>);
  let res: Response;
  try {
    res = await fetch(`${baseUrl}${spec.url}`, {
      method: spec.method,
      credentials: 'same-origin',
      // Writes are always JSON: the admin API refuses any other content type (no cross-site forms).
      headers: spec.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: spec.body,
    });
  } catch (e) {
    throw new ApiClientError(0, 'network', `Leadbell is not answering (${(e as Error).message}). Is it still running?`);
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiClientError(res.status, 'bad_response', `unexpected answer from ${spec.url} (HTTP ${res.status})`);
  }
  if (!res.ok) throw ApiClientError.fromBody(res.status, body);
  const parsed = contract[name].output.safeParse(body);
  if (!parsed.success) throw new ApiClientError(res.status, 'bad_response', `${name} answered in an unexpected shape`);
  return parsed.data;
}

export function createHttpClient(baseUrl = ''): ApiClient {
  return Object.fromEntries(METHOD_NAMES.map((name) => [name, (input: unknown) => call(name, input, baseUrl)])) as ApiClient;
}

export async function login(token: string, baseUrl = ''): Promise<void> {
  const res = await fetch(`${baseUrl}/api/login`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  if (!res.ok) throw ApiClientError.fromBody(res.status, await res.json().catch(() => null));
}

export async function logout(baseUrl = ''): Promise<void> {
  await fetch(`${baseUrl}/api/logout`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
}
