/**
 * Assessment scoring (the guide's 8-system assessment): 0-100 from the mean of 0-10 ratings,
 * or the sender's ready score; hot/warm/cold bands decide status and priority.
 */

export interface ScoreBands {
  hot: number;
  warm: number;
}

export type ScoreStatus = 'hot' | 'warm' | 'cold';

/** The ready score if given, else mean rating x 10, rounded; null when there is nothing to score. */
export function assessmentScore(ratings: Record<string, number> | null | undefined, ready: number | null | undefined): number | null {
  if (typeof ready === 'number' && Number.isFinite(ready)) return clamp(Math.round(ready));
  const values = Object.values(ratings ?? {}).filter((v) => Number.isFinite(v));
  if (!values.length) return null;
  return clamp(Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10));
}

export function classifyScore(score: number, bands: ScoreBands): { status: ScoreStatus; priority: 'high' | 'medium' } {
  const status: ScoreStatus = score >= bands.hot ? 'hot' : score >= bands.warm ? 'warm' : 'cold';
  return { status, priority: status === 'hot' ? 'high' : 'medium' };
}

function clamp(n: number): number {
  return Math.min(100, Math.max(0, n));
}
