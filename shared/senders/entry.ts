/**
 * The shape of one sender preset: how its webhook is told apart (its documented body shape and
 * headers), what event it makes, and how its fields become Leadbell's (email, first_name, ...).
 * Shared by the receiver and the UI's test-fire, so it holds only data and pure functions.
 */
export type Body = Record<string, unknown>;
export type SenderHeaders = Record<string, string | string[] | undefined>;

/** Events a sender's own event type decides, whichever endpoint it was posted to. */
export type PresetEvent = 'lead.booked' | 'lead.booking_canceled' | 'lead.purchased';

export type SenderReading =
  /** `body` is in Leadbell's field names; its `event_id` is the sender's delivery id. */
  | { body: Body; event?: PresetEvent; ignored?: undefined }
  /** One of the sender's event types Leadbell has no use for: acknowledged, stored, nothing more. */
  | { ignored: string; body?: undefined; event?: undefined };

export interface ReadContext {
  /** Posted to the assessment endpoint: numeric answers are ratings. */
  assessment: boolean;
}

export interface SenderPreset {
  /** Stable id, e.g. "typeform". */
  name: string;
  /** How the app and docs name it. */
  label: string;
  /** Where the body and headers below are documented. */
  docs: string;
  recognize(body: Body, headers: SenderHeaders): boolean;
  read(body: Body, ctx: ReadContext): SenderReading;
}

export function header(h: SenderHeaders, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}
