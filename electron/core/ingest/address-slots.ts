/**
 * What each client address holds at once (connections on the public port, requests in flight on
 * the tunnel port), so one address cannot take the whole receiver however slowly it sends. While
 * there is room anyone may open more (a burst from one integration is fine); the last `perAddress`
 * places are kept for addresses that hold fewer than `perAddress`, so another sender always gets
 * in. IPv6 addresses count per /64, the block one subscriber is usually given, so a client cannot
 * take a fresh share by moving to the next address of its own block. Only addresses that hold
 * something have an entry, so the table is as small as what is open.
 */
import { isIPv6 } from 'node:net';
import { normaliseIp } from './ip-allowlist.js';

export function addressShareKey(ip: string): string {
  const a = normaliseIp(ip);
  if (!isIPv6(a)) return a;
  const [head = '', tail = ''] = a.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = a.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

export class AddressSlots {
  private readonly held = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly capacity: number,
    private readonly perAddress: number,
  ) {}

  /** Takes a place for the address; false when the port is nearly full and it already holds its share. */
  take(ip: string): boolean {
    const key = addressShareKey(ip);
    const n = this.held.get(key) ?? 0;
    if (n >= this.perAddress && this.total >= this.capacity - this.perAddress) return false;
    this.held.set(key, n + 1);
    this.total++;
    return true;
  }

  give(ip: string): void {
    const key = addressShareKey(ip);
    const n = this.held.get(key);
    if (n === undefined) return;
    this.total--;
    if (n <= 1) this.held.delete(key);
    else this.held.set(key, n - 1);
  }
}
