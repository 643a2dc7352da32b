/**
 * The sender presets: one entry per form, booking or payment tool whose own webhook Leadbell
 * reads without any mapping. Each says how its body is told apart, what event it makes and how
 * its fields become Leadbell's; `recognizeSender` is the one place that asks them. Adding a
 * sender is one entry here plus its module (and, if it signs, a row in ingest/signatures.ts).
 */
import { calendly } from './calendly.js';
import { contactForm7 } from './contact-form-7.js';
import { elementor } from './elementor.js';
import type { Body, ReadContext, SenderHeaders, SenderPreset, SenderReading } from './entry.js';
import { googleForms } from './google-forms.js';
import { jotform } from './jotform.js';
import { stripeCheckout } from './stripe-checkout.js';
import { tally } from './tally.js';
import { typeform } from './typeform.js';
import { webflow } from './webflow.js';

export type { Body, PresetEvent, SenderHeaders, SenderPreset, SenderReading } from './entry.js';

/** Asked in this order: the shapes with a tell-tale field first, the looser ones (form keys) last. */
export const SENDERS = { typeform, tally, jotform, webflow, calendly, stripeCheckout, googleForms, elementor, contactForm7 } as const;
export const SENDER_LIST: readonly SenderPreset[] = Object.values(SENDERS);

export type Recognised = { sender: SenderPreset } & SenderReading;

/**
 * The status a stored request is answered with: 202, except to WordPress, whose HTTP client
 * names itself `WordPress/<version>; <site>` (WP_Http's default user agent): Elementor's webhook
 * counts only a 200 as delivered and shows the visitor "Webhook error" otherwise, and WordPress's
 * other form plugins take any 2xx. One rule for the receiver and the relay, which answers before
 * any body is read.
 */
export function acceptedStatus(userAgent: string | null | undefined): 200 | 202 {
  return /^WordPress\//.test(userAgent ?? '') ? 200 : 202;
}

/** The preset whose shape the body has, and what it reads; null when none does. */
export function recognizeSender(body: Body, headers: SenderHeaders = {}, ctx: ReadContext = { assessment: false }): Recognised | null {
  const sender = SENDER_LIST.find((s) => s.recognize(body, headers));
  return sender ? { sender, ...sender.read(body, ctx) } : null;
}
