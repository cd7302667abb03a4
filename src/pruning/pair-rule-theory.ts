import { hitProbability } from './products.js';
import { pairSuccessProbability, pairTheoryWidth } from './pair-rule.js';
import { integratePiecewise } from '../stats/integrate.js';

/**
 * Closed forms of the single-weight lemma (THEORY.md §4) for a target weight that is
 * either fixed (`w` a number) or drawn per seed (`"uniform"` on [−1, 1]).
 */
export type LemmaWeight = number | 'uniform';

/** P(success at width k): the pair formula, or its mean over w ~ U[−1, 1]. */
export function lemmaSuccessProbability(w: LemmaWeight, eps: number, k: number): number {
  if (w !== 'uniform') return pairSuccessProbability(hitProbability(w, eps) / 2, k);
  // p is even in w, so the mean over U[−1, 1] is the integral over [0, 1]; split
  // where the case split of p changes (a = 0 at w = ε, b = 1 at w = 1 − ε). The integrand
  // falls from ≈ 1 to ≈ 0 where k·q(w) ≈ 1, over a range of w about as wide as its distance
  // to 0 or to 1, which an unsplit [ε, 1 − ε] misses (ε = 1e-6, k = 1e10: 1 − 1e-6 instead
  // of 0.9997); so also split geometrically towards both ends, at 2^j·ε and 1 − 2^j·ε.
  const f = (x: number) => pairSuccessProbability(hitProbability(x, eps) / 2, k);
  const breaks = [eps, 1 - eps];
  for (let d = 2 * eps; d < 0.5; d *= 2) breaks.push(d, 1 - d);
  return integratePiecewise(f, 0, 1, breaks, 1e-11);
}

/**
 * Global criterion (THEORY.md §5b) for one weight: the best unit of each side among k, or no
 * unit when |w| is closer, is within ε. With |w| ≤ ε no unit is needed (probability 1);
 * otherwise a side's best error is ≤ ε exactly when one of its units is within ε, so this is
 * the pair formula. For "uniform": ε·1 + ∫_ε^1 pair(q(x), k) dx (for ε < 1).
 */
export function lemmaGlobalSuccessProbability(w: LemmaWeight, eps: number, k: number): number {
  if (w !== 'uniform') return Math.abs(w) <= eps ? 1 : lemmaSuccessProbability(w, eps, k);
  if (eps >= 1) return 1;
  const f = (x: number) => pairSuccessProbability(hitProbability(x, eps) / 2, k);
  const breaks = [1 - eps];
  for (let d = 2 * eps; d < 0.5; d *= 2) breaks.push(d, 1 - d);
  return eps + integratePiecewise(f, eps, 1, breaks.filter((x) => x > eps && x < 1), 1e-11);
}

/**
 * The lemma's own width (union bound 2(1−q)^k ≤ δ): k = ⌈ln(2/δ)/q⌉, with the worst
 * |w| = 1 when the lemma must hold for every w (`"uniform"`).
 */
export function lemmaTheoryWidth(w: LemmaWeight, eps: number, delta: number): number {
  const q = hitProbability(w === 'uniform' ? 1 : w, eps) / 2;
  return pairTheoryWidth(q, delta);
}

/** The smallest k with the exact success probability ≥ 1 − δ (monotone in k; bisection); `global`: §5b's criterion. */
export function lemmaExactWidth(w: LemmaWeight, eps: number, delta: number, global = false): number {
  const goal = 1 - delta;
  const probability = global ? lemmaGlobalSuccessProbability : lemmaSuccessProbability;
  const ok = (k: number) => probability(w, eps, k) >= goal;
  let hi = 1;
  while (!ok(hi)) {
    hi *= 2;
    if (hi > 2 ** 60) return Infinity;
  }
  let lo = hi / 2; // ok(lo) is false unless hi = 1
  if (hi === 1) return 1;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) hi = mid; else lo = mid;
  }
  return hi;
}
