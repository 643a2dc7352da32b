/** Engagement points: each behaviour adds points; an alert fires when the total crosses a threshold. */

/** True only for the change that reaches the threshold, so one lead raises one alert, not one per open. */
export function crossesThreshold(before: number, after: number, threshold: number): boolean {
  return before < threshold && after >= threshold;
}
