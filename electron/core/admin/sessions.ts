/**
 * Browser sessions for the admin UI. Signing in with the admin token issues a random session id
 * (the cookie holds that id, never the token); signing out revokes it, so a copied cookie stops
 * working. Sessions live in memory: a restart signs every browser out. Failed sign-ins are
 * throttled, so the token cannot be guessed at loopback speed.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** A session is dropped after this long without use, and after this long at all. */
export const SESSION_IDLE_MS = 7 * 24 * 3600_000;
export const SESSION_MAX_MS = 30 * 24 * 3600_000;
const MAX_SESSIONS = 100;

/** Failed sign-ins allowed per window before every sign-in is refused until the window ends. */
export const LOGIN_FAILURES_PER_MINUTE = 10;
const WINDOW_MS = 60_000;

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

interface Session {
  created: number;
  seen: number;
}

/**
 * Where a sign-in came from. Each door keeps its own count of wrong tokens, so wrong tokens
 * at the printed link (which an old browser may still load for another site's page, as an image)
 * can lock only the link, never the sign-in form.
 */
export type SignInDoor = 'link' | 'form';

export class Sessions {
  private readonly live = new Map<string, Session>();
  private readonly failures: Record<SignInDoor, number[]> = { link: [], form: [] };

  constructor(private readonly now: () => number = Date.now) {}

  issue(): string {
    const id = randomBytes(32).toString('base64url');
    if (this.live.size >= MAX_SESSIONS) this.live.delete(this.live.keys().next().value!);
    const t = this.now();
    this.live.set(id, { created: t, seen: t });
    return id;
  }

  /** True for a live session id (and marks it used). */
  check(id: string): boolean {
    const s = this.live.get(id);
    if (!s) return false;
    const t = this.now();
    if (t - s.seen > SESSION_IDLE_MS || t - s.created > SESSION_MAX_MS) {
      this.live.delete(id);
      return false;
    }
    s.seen = t;
    return true;
  }

  revoke(id: string): void {
    this.live.delete(id);
  }

  /** Seconds until sign-in at this door is allowed again, or 0 when it is allowed now. */
  loginBlockedFor(door: SignInDoor): number {
    const t = this.now();
    const recent = (this.failures[door] = this.failures[door].filter((f) => t - f < WINDOW_MS));
    if (recent.length < LOGIN_FAILURES_PER_MINUTE) return 0;
    return Math.max(1, Math.ceil((recent[0]! + WINDOW_MS - t) / 1000));
  }

  loginFailed(door: SignInDoor): void {
    this.failures[door].push(this.now());
  }
}
