import { vi } from 'vitest';

type Falsy = false | null | undefined | 0 | '';

/** Waits (vi.waitFor) until `fn` gives a truthy value, and returns it. */
export async function until<T>(what: string, fn: () => T | Falsy | Promise<T | Falsy>, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  return vi.waitFor(
    async () => {
      const v = await fn();
      if (!v) throw new Error(`still waiting for ${what}`);
      return v as T;
    },
    { timeout: timeoutMs, interval: intervalMs },
  );
}
