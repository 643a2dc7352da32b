/**
 * Serves the built UI from app://leadbell/ with the same strict CSP as headless mode. A
 * privileged custom scheme (not file://) gives the page a real origin for the sender check
 * and the CSP, and keeps it from reading any other file.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { contentType, UI_CSP } from '../core/admin/ui-assets.js';
import { APP_HOST, APP_SCHEME } from './sender-check.js';

export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } as const;


/** The file a request asks for, or null when it is outside the UI folder or not ours. */
export function resolveAppFile(rootDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  const root = path.resolve(rootDir);
  const rel = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html';
  const file = path.resolve(root, rel);
  return file.startsWith(root + path.sep) ? file : null;
}

export async function serveAppRequest(rootDir: string, requestUrl: string): Promise<Response> {
  const file = resolveAppFile(rootDir, requestUrl);
  const body = file ? await fs.readFile(file).catch(() => null) : null;
  if (!file || !body) return new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      'content-type': contentType(file),
      'content-security-policy': UI_CSP,
      'x-content-type-options': 'nosniff',
    },
  });
}
