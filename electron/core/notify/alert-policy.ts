/**
 * What a notification does when it is shown, decided in one place from the owner's alert
 * settings: ring (a banner, with or without sound), stay listed without a banner (that event does
 * not ring), or wait for the summary at the end of quiet hours.
 */
import { RING_CHOICE, type AlertSettings } from '../../../shared/alerts.js';
import type { Notification } from '../../../shared/api/models.js';
import { isQuiet } from './quiet-hours.js';

export type AlertDecision = { ring: true; sound: boolean } | { ring: false; reason: 'not_chosen' | 'quiet_hours' };

/** Whether the owner wants this kind to ring at all (kinds without a choice always may). */
export function ringsFor(kind: Notification['kind'], s: AlertSettings): boolean {
  const choice = RING_CHOICE[kind];
  return choice === undefined || s.ring.includes(choice);
}

export function decideAlert(n: Pick<Notification, 'kind'>, s: AlertSettings, nowMs: number): AlertDecision {
  if (!ringsFor(n.kind, s)) return { ring: false, reason: 'not_chosen' };
  if (s.quiet_hours && isQuiet(nowMs, { from: s.quiet_from, until: s.quiet_until })) return { ring: false, reason: 'quiet_hours' };
  return { ring: true, sound: s.sound };
}
