/** IP allowlist with exact addresses and CIDR ranges (IPv4 and IPv6). */
import { BlockList, isIP, isIPv4, isIPv6 } from 'node:net';

export function normaliseIp(ip: string): string {
  // IPv4 clients on a dual-stack socket appear as ::ffff:a.b.c.d.
  return ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
}

export class IpAllowlist {
  private list: BlockList | null = null;

  constructor(entries: string[]) {
    this.set(entries);
  }

  set(entries: string[]): void {
    if (!entries.length) {
      this.list = null;
      return;
    }
    const list = new BlockList();
    for (const raw of entries) {
      const [addr, bits] = raw.split('/');
      const type = isIPv6(addr!) ? 'ipv6' : 'ipv4';
      if (bits !== undefined) list.addSubnet(addr!, Number(bits), type);
      else list.addAddress(addr!, type);
    }
    this.list = list;
  }

  /** Empty list: everyone is allowed. */
  allows(ip: string): boolean {
    if (!this.list) return true;
    const n = normaliseIp(ip);
    // An unknown address (a tunnel that does not vouch for one) is never on the list.
    if (!isIP(n)) return false;
    return this.list.check(n, isIPv6(n) ? 'ipv6' : 'ipv4');
  }
}
