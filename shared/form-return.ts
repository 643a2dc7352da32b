/**
 * Where a browser form post without a thank-you page goes back to: the form's own page with
 * `?submitted=1`, and only an http(s) one. Used by the receiver and by the relay alike.
 */
export function formReturnUrl(referer: string | null | undefined): string | null {
  if (!referer) return null;
  try {
    const u = new URL(referer);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    u.searchParams.set('submitted', '1');
    return u.toString();
  } catch {
    return null;
  }
}
