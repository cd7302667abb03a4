import type { Interval } from './clopper-pearson.js';

export type Verdict = 'above' | 'below' | 'undecided';

/**
 * The cell's verdict against the claimed success probability 1 − δ (DESIGN.md):
 * `above` when the interval's lower end is ≥ 1 − δ, `below` when its upper end is
 * < 1 − δ, otherwise `undecided`.
 */
export function verdict(interval: Interval, target: number): Verdict {
  if (interval.low >= target) return 'above';
  if (interval.high < target) return 'below';
  return 'undecided';
}

/**
 * Fewest seeds for which `above` is possible at all (all seeds succeed):
 * (α/2)^(1/n) ≥ 1 − δ  ⇔  n ≥ ln(α/2) / ln(1 − δ).
 */
export function minSeedsForAbove(delta: number, confidence = 0.95): number {
  return Math.ceil(Math.log((1 - confidence) / 2) / Math.log1p(-delta));
}
