/** What of a URL may appear in logs and messages: webhook URLs carry their token in the path. */

/** Origin and path with the last path segment masked and no query string. */
export function maskUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '[invalid URL]';
  }
  const segments = u.pathname.split('/');
  const last = segments.length - 1;
  if (segments[last]) segments[last] = '***';
  return `${u.origin}${segments.join('/')}`;
}

/** The secret parts of a webhook URL: the whole URL and its last path segment (the token). */
export function urlCredentials(url: string): string[] {
  const last = url.replace(/[?#].*$/, '').split('/').pop();
  return last ? [url, last] : [url];
}

/** Replaces every occurrence of the given secret values (e.g. in a vendor's echoed answer). */
export function withoutSecrets(text: string, secrets: (string | null)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}
