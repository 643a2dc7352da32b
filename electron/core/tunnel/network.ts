/** Notices the network coming back (or changing) without Electron: the external addresses change. */
import os from 'node:os';

export function networkFingerprint(): string {
  try {
    return Object.entries(os.networkInterfaces())
      .flatMap(([name, addrs]) => (addrs ?? []).filter((a) => !a.internal).map((a) => `${name}=${a.address}`))
      .sort()
      .join(',');
  } catch {
    // Some sandboxes refuse to list interfaces; then only the timers and checks notice changes.
    return '';
  }
}
