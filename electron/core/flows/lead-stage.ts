/**
 * Where a lead's automatic stage goes when a booking or a purchase happens (pure). Stages only
 * move forward: a customer who books again stays a customer, and a canceled booking takes back
 * only a booking (a customer who cancels a follow-up visit is still a customer). A stage the
 * owner named themselves counts as the start.
 */
export type Milestone = 'booked' | 'booking_canceled' | 'customer';

const RANK: Record<string, number> = { opted_in: 0, assessment_complete: 1, booking_canceled: 1, booked: 2, customer: 3 };

export function stageAfter(current: string | null | undefined, milestone: Milestone): string | null {
  const now = current ?? 'opted_in';
  if (milestone === 'booking_canceled') return now === 'booked' ? 'booking_canceled' : null;
  return (RANK[now] ?? 0) < RANK[milestone]! ? milestone : null;
}
