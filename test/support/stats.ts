/**
 * Small statistics helpers for the statistical tests. Tolerances are always a
 * number of standard errors computed from the sample size, never a fixed constant.
 */
import { expect } from 'vitest';

/** How many standard errors a statistical check allows (STYLE.md "Tests": 4–5). */
export const Z = 4.5;

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}

/** Sample variance (n − 1 in the denominator). */
export function variance(xs: ArrayLike<number>): number {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i] - m) ** 2;
  return s / (xs.length - 1);
}

/** |observed − expected| ≤ z·se, with a message that shows the z-score on failure. */
export function expectWithinSE(observed: number, expected: number, se: number, label: string, z = Z): void {
  const score = (observed - expected) / se;
  expect(Math.abs(score), `${label}: observed ${observed}, expected ${expected}, se ${se}, z = ${score.toFixed(2)}`).toBeLessThanOrEqual(z);
}

/** A count of `hits` among `n` Bernoulli(p) trials is within z binomial standard errors of n·p. */
export function expectFraction(hits: number, n: number, p: number, label: string, z = Z): void {
  expectWithinSE(hits / n, p, Math.sqrt((p * (1 - p)) / n), label, z);
}

/** Two-sample z-test of equal means with the empirical standard deviations. */
export function expectSameMean(a: ArrayLike<number>, b: ArrayLike<number>, label: string, z = Z): void {
  const se = Math.sqrt(variance(a) / a.length + variance(b) / b.length);
  expectWithinSE(mean(a), mean(b), se, label, z);
}

/** Sample mean within z standard errors of `expected`, with the SE from the sample itself. */
export function expectMean(xs: ArrayLike<number>, expected: number, label: string, z = Z): void {
  expectWithinSE(mean(xs), expected, Math.sqrt(variance(xs) / xs.length), label, z);
}

/** Kolmogorov–Smirnov statistic of a sample against a continuous CDF. */
export function ksOneSample(xs: ArrayLike<number>, cdf: (x: number) => number): number {
  const s = Float64Array.from(xs).sort();
  const n = s.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(s[i]);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

/** Two-sample Kolmogorov–Smirnov statistic sup |F_a − F_b| (ties handled by advancing both). */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const x = Float64Array.from(a).sort(), y = Float64Array.from(b).sort();
  let i = 0, j = 0, d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i], y[j]);
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

/**
 * Asymptotic KS critical value at level `alpha`: c(α)·√((n + m)/(n·m)), c(α) = √(−ln(α/2)/2)
 * (one sample: m = ∞). alpha = 1e-5 is about the 4.4 SE of the other checks.
 */
export function ksCritical(n: number, m = Infinity, alpha = 1e-5): number {
  const c = Math.sqrt(-Math.log(alpha / 2) / 2);
  return c * Math.sqrt(m === Infinity ? 1 / n : (n + m) / (n * m));
}

/** Fraction of xs that are ≤ t. */
export function fractionAtMost(xs: ArrayLike<number>, t: number): number {
  let c = 0;
  for (let i = 0; i < xs.length; i++) if (xs[i] <= t) c++;
  return c / xs.length;
}

/** Relative difference |a − b| / |b| (absolute when b = 0). */
export function relErr(a: number, b: number): number {
  return b === 0 ? Math.abs(a) : Math.abs(a - b) / Math.abs(b);
}
