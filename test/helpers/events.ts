/** A typed event as the receiver stores it, for tests that write events straight to the store. */
import { uuidv7 } from '../../electron/core/ids.js';
import type { NewEvent } from '../../electron/core/storage/event-store.js';

export function newEvent(resourceId: string, payload: Record<string, unknown>, overrides: Partial<NewEvent> = {}): NewEvent {
  const at = new Date().toISOString();
  return {
    id: uuidv7(),
    event: 'lead.opted_in',
    occurred: at,
    received_at: at,
    source: 'test',
    resource: { 'prefect.resource.id': resourceId },
    payload,
    inbox_id: null,
    idempotency_key: null,
    ...overrides,
  };
}
