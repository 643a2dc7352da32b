/** Live-update notices for the UI: the core publishes, each transport forwards. */
import type { LiveUpdate } from '../../../shared/api/contract.js';

export class LiveBus {
  private listeners = new Set<(u: LiveUpdate) => void>();

  publish(update: LiveUpdate): void {
    for (const l of this.listeners) {
      try {
        l(update);
      } catch {
        // A broken subscriber must not break the publisher.
      }
    }
  }

  subscribe(listener: (u: LiveUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
