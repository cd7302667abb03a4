import { minSeedsForAbove } from '../stats/verdict.js';

/** `lth plan`: seeds needed before `above` is possible with exact Clopper–Pearson intervals. */
export function plan(delta: number, confidence: number): string {
  const n = minSeedsForAbove(delta, confidence);
  return (
    `delta ${delta}, confidence ${confidence}: at least ${n} seeds per cell, all successful, ` +
    `for an "above" verdict (Clopper–Pearson lower bound (α/2)^(1/n) ≥ 1 − δ)\n`
  );
}
