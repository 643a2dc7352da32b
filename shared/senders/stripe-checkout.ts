/**
 * Stripe Checkout: an event `{id: "evt_…", object: "event", type, created, data: {object}}`; a
 * `checkout.session.completed` session has `customer_details` {email, name, phone} (or
 * `customer_email`), `amount_total` in the currency's smallest unit, `currency`, `metadata` and
 * `client_reference_id`. It is `lead.purchased` on whichever endpoint Stripe posts to; Stripe's
 * other event types are acknowledged and left alone. The delivery id is the event id.
 */
import type { SenderPreset } from './entry.js';
import { isObject, splitName, text } from './fields.js';

/** Currencies Stripe counts in whole units (https://docs.stripe.com/currencies#zero-decimal). */
const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);

export const stripeCheckout: SenderPreset = {
  name: 'stripe-checkout',
  label: 'Stripe Checkout',
  docs: 'https://docs.stripe.com/api/events/object; https://docs.stripe.com/api/checkout/sessions/object',
  recognize: (body) => body.object === 'event' && typeof body.type === 'string' && isObject(body.data) && isObject(body.data.object),
  read(body) {
    if (body.type !== 'checkout.session.completed') {
      return { ignored: `Stripe's "${String(body.type)}" is not a completed checkout: nothing to do` };
    }
    const s = (body.data as Record<string, unknown>).object as Record<string, unknown>;
    const customer = isObject(s.customer_details) ? s.customer_details : {};
    const currency = text(s.currency)?.toLowerCase();
    const total = typeof s.amount_total === 'number' ? s.amount_total : undefined;
    const amount = total === undefined ? undefined : currency && ZERO_DECIMAL.has(currency) ? total : total / 100;
    const body_ = {
      email: customer.email ?? s.customer_email,
      ...splitName(text(customer.name) ?? ''),
      phone: text(customer.phone),
      amount,
      currency: currency?.toUpperCase(),
      payment_status: text(s.payment_status),
      checkout_session_id: text(s.id),
      visitor_id: text(s.client_reference_id),
      metadata: isObject(s.metadata) ? s.metadata : undefined,
      ...(text(body.id) && { event_id: text(body.id) }),
      ...(typeof body.created === 'number' && { timestamp: new Date(body.created * 1000).toISOString() }),
      source: 'stripe',
    };
    return { event: 'lead.purchased', body: Object.fromEntries(Object.entries(body_).filter(([, v]) => v !== undefined)) };
  },
};
