import jstatPkg from 'jstat';

const { jStat } = jstatPkg as unknown as { jStat: { ibeta(x: number, a: number, b: number): number } };

/** P(B ≤ m) for B ~ Binomial(n, p), through the regularized incomplete beta function. */
export function binomialCdf(m: number, n: number, p: number): number {
  if (m < 0) return 0;
  if (m >= n) return 1;
  if (p <= 0) return 1;
  if (p >= 1) return 0;
  return jStat.ibeta(1 - p, n - m, m + 1);
}

/**
 * Two-sided exact binomial p-value of H₀: p = p₀, doubling the smaller tail:
 * min(1, 2·min(P(X ≤ x), P(X ≥ x))). It is ≤ α exactly when the Clopper–Pearson
 * interval at level 1 − α excludes p₀, so tests and intervals agree.
 */
export function binomialPValue(successes: number, trials: number, p0: number): number {
  const lower = binomialCdf(successes, trials, p0);
  const upper = 1 - binomialCdf(successes - 1, trials, p0);
  return Math.min(1, 2 * Math.min(lower, upper));
}
