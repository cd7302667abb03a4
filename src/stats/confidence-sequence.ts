import jstatPkg from 'jstat';
import type { Interval } from './clopper-pearson.js';

const { jStat } = jstatPkg as unknown as { jStat: { betaln(a: number, b: number): number } };

/**
 * Anytime-valid confidence sequence for a Bernoulli mean: the beta-binomial mixture
 * martingale (H. Robbins, "Statistical methods related to the law of the iterated
 * logarithm", Ann. Math. Statist. 41(5), 1970; in the form of S. R. Howard, A. Ramdas,
 * J. McAuliffe, J. Sekhon, "Time-uniform, nonparametric, nonasymptotic confidence
 * sequences", Ann. Statist. 49(2), 2021, §3 "conjugate mixtures").
 *
 * With S successes in t trials and a Beta(a, b) mixing distribution over the
 * alternative θ, the likelihood ratio against p,
 *   M_t(p) = B(a + S, b + t − S) / (B(a, b) · p^S · (1 − p)^(t − S)),
 * is a nonnegative martingale with mean 1 under p. By Ville's inequality
 * P(∃t: M_t(p) ≥ 1/α) ≤ α, so C_t = {p : M_t(p) < 1/α} covers the true p at all
 * t simultaneously with probability ≥ 1 − α, and may be checked after every seed
 * (optional stopping). ln M_t(p) is convex in p, so C_t is an interval.
 * Default prior Beta(1, 1) (uniform).
 */
export function logMixtureMartingale(successes: number, trials: number, p: number, a = 1, b = 1): number {
  const failures = trials - successes;
  const logLik = (successes > 0 ? successes * Math.log(p) : 0) + (failures > 0 ? failures * Math.log1p(-p) : 0);
  return jStat.betaln(a + successes, b + failures) - jStat.betaln(a, b) - logLik;
}

/** The confidence sequence's interval after `trials` observations with `successes` (level `confidence`). */
export function confidenceSequence(successes: number, trials: number, confidence = 0.95, a = 1, b = 1): Interval {
  if (trials <= 0) return { low: 0, high: 1 };
  const threshold = Math.log(1 / (1 - confidence));
  const inside = (p: number) => logMixtureMartingale(successes, trials, p, a, b) < threshold;
  const center = successes / trials;
  // the minimizer of ln M_t(p) is the MLE S/t; bisect on each side of it
  const edge = (from: number, to: number): number => {
    if (inside(to)) return to;
    let inner = from, outer = to;
    for (let j = 0; j < 200 && Math.abs(outer - inner) > 1e-15; j++) {
      const mid = 0.5 * (inner + outer);
      if (inside(mid)) inner = mid; else outer = mid;
    }
    return inner;
  };
  const low = center <= 0 ? 0 : edge(center, 0);
  const high = center >= 1 ? 1 : edge(center, 1);
  return { low, high };
}

/**
 * An anytime-valid p-value for H₀: p = p₀ after `trials` observations: min(1, 1/M_t(p₀)).
 * Valid at any stopping time (Ville), so it may be used after early stopping.
 */
export function anytimePValue(successes: number, trials: number, p0: number, a = 1, b = 1): number {
  return Math.min(1, Math.exp(-logMixtureMartingale(successes, trials, p0, a, b)));
}
