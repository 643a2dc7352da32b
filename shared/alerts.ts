/**
 * Alerts on the owner's terms: which events ring, with or without sound, and quiet hours. One
 * table says which choice governs each kind of notification; the core's notifier applies it to
 * every bell (tray, headless, future ones) in one place.
 */
import { z } from 'zod';
import type { Notification } from './api/models.js';

/** The events an owner can choose to ring for, with their words in Settings → Alerts. */
export const ALERT_EVENTS = {
  hot_lead: 'A hot lead',
  high_engagement: 'High email engagement',
  reminder: 'A reminder to follow up',
  failure: 'Something Leadbell could not do (an app failing, a backup not made)',
} as const;
export type AlertEvent = keyof typeof ALERT_EVENTS;
export const alertEvent = z.enum(Object.keys(ALERT_EVENTS) as [AlertEvent, ...AlertEvent[]]);

/**
 * Which ring choice governs each kind of notification. Kinds not listed (a changed webhook
 * address, notices from Leadbell itself) are not optional: they ring outside quiet hours.
 */
export const RING_CHOICE: Partial<Record<Notification['kind'], AlertEvent>> = {
  hot_lead: 'hot_lead',
  high_engagement: 'high_engagement',
  reminder: 'reminder',
  failure: 'failure',
  app_problem: 'failure',
};

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like 21:00 (24-hour clock)');

export const alertSettings = z.object({
  /** Banners play the system sound. */
  sound: z.boolean().default(true),
  /** The events that ring; the others are still stored and listed, just without a banner. */
  ring: z.array(alertEvent).max(Object.keys(ALERT_EVENTS).length).default(Object.keys(ALERT_EVENTS) as AlertEvent[]),
  /** Quiet hours (local time of this computer): no banner, no sound; one summary when they end. */
  quiet_hours: z.boolean().default(false),
  quiet_from: clockTime.default('21:00'),
  quiet_until: clockTime.default('07:00'),
});
export type AlertSettings = z.infer<typeof alertSettings>;
