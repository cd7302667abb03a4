/**
 * The product Z = U·V of two independent U[−1, 1] weights (THEORY.md §4).
 * |Z| has density −ln t and CDF φ(t) = t − t·ln t on (0, 1]; Z is symmetric.
 */

/** φ(t) = t − t·ln t, the CDF of |UV|, clamped to [0, 1]. */
export function phi(t: number): number {
  if (t <= 0) return 0;
  if (t >= 1) return 1;
  return t - t * Math.log(t);
}

/** x − log1p(x) without cancellation for small x (≈ x²/2). */
function xMinusLog1p(x: number): number {
  if (Math.abs(x) > 0.01) return x - Math.log1p(x);
  // alternating series x²/2 − x³/3 + x⁴/4 − …; |x| ≤ 0.01 so 8 terms reach 1e-18 relative
  let term = x * x, sum = 0;
  for (let j = 2; j <= 9; j++) {
    sum += (j % 2 === 0 ? 1 : -1) * term / j;
    term *= x;
  }
  return sum;
}

/**
 * φ(b) − φ(a) for 0 ≤ a ≤ b ≤ 1, written as −h·ln b + a·g(h/a) with h = b − a and
 * g(x) = x − log1p(x): both terms are ≥ 0, so there is no cancellation even when
 * h ≪ a (ε = 10⁻⁹ around w = 0.5 keeps full relative precision).
 */
export function phiDiff(a: number, b: number): number {
  if (b > 1) b = 1;
  if (a <= 0) return phi(b);
  if (b <= a) return 0;
  const h = b - a;
  return -h * Math.log(b) + a * xMinusLog1p(h / a);
}

/** Hc(z) = ½·sign(z)·φ(min(|z|, 1)): the CDF of Z minus ½. */
export function hc(z: number): number {
  return z >= 0 ? 0.5 * phi(z) : -0.5 * phi(-z);
}

/**
 * p(w, ε) = P(|UV − w| ≤ ε) by THEORY.md §4's case split on a = |w| − ε, b = |w| + ε
 * (p is even in w), using phiDiff where both ends are on the same side of 0.
 */
export function hitProbability(w: number, eps: number): number {
  const aw = Math.abs(w);
  const a = aw - eps, b = aw + eps;
  if (a >= 0) return 0.5 * phiDiff(a, Math.min(b, 1));
  return 0.5 * (phi(Math.min(b, 1)) + phi(Math.min(-a, 1)));
}

/**
 * Solves φ(t) − φ(lo) = target for t ∈ [lo, hi] ⊆ [0, 1] (0 ≤ target ≤ φ(hi) − φ(lo)):
 * Newton on the increasing function phiDiff(lo, ·) with derivative −ln t,
 * safeguarded by bisection, so it always stays in the bracket.
 */
function invertPhiDiff(lo: number, hi: number, target: number, guess: number): number {
  let a = lo, b = hi, t = guess;
  for (let iter = 0; iter < 100; iter++) {
    const f = phiDiff(lo, t) - target;
    if (f === 0) return t;
    if (f > 0) b = t; else a = t;
    const slope = t > 0 ? -Math.log(t) : Infinity;
    const newton = t - f / slope;
    // converged: the Newton step itself is below rounding (checked before the bisection
    // safeguard, which would otherwise keep halving the bracket down to machine precision)
    if (Math.abs(newton - t) <= 1e-15 * Math.max(t, 1e-300)) return newton > a && newton < b ? newton : t;
    const next = newton > a && newton < b ? newton : 0.5 * (a + b);
    if (b - a <= 4e-16 * b) return next;
    t = next;
  }
  return t;
}

/**
 * Draws z with density ∝ −ln|z| on [lo, hi] ⊆ [−1, 1] (a product UV conditioned on
 * landing in the interval) by inverting the CDF (THEORY.md §4, skipping step 3).
 * u1 and u2 are independent U[0, 1) variates; u2 is only used when the interval
 * contains 0 (to pick the side).
 */
export function sampleProductIn(lo: number, hi: number, u1: number, u2: number): number {
  if (lo >= 0) return sampleOnPositive(lo, hi, u1);
  if (hi <= 0) return -sampleOnPositive(-hi, -lo, u1);
  // straddles 0: pick a side in proportion to its mass φ(·), then sample on [0, end]
  const left = phi(-lo), right = phi(hi);
  if (u2 * (left + right) < right) return sampleOnPositive(0, hi, u1);
  return -sampleOnPositive(0, -lo, u1);
}

function sampleOnPositive(lo: number, hi: number, u: number): number {
  const mass = phiDiff(lo, hi);
  const z = invertPhiDiff(lo, hi, u * mass, lo + u * (hi - lo));
  if (z <= lo) return lo > 0 ? lo : Number.MIN_VALUE;
  return z > hi ? hi : z;
}

/** d/dε p(w, ε) = ½·(−ln|w + ε|·[|w + ε| < 1] − ln|w − ε|·[|w − ε| < 1]) (the density of Z at both window ends). */
function hitDensity(aw: number, e: number): number {
  const b = aw + e, a = Math.abs(aw - e);
  return 0.5 * ((b < 1 ? -Math.log(b) : 0) + (a < 1 ? -Math.log(a) : 0));
}

/**
 * The inverse of ε ↦ p(w, ε) = P(|UV − w| ≤ ε) (THEORY.md §4, §5b): the ε ∈ (0, 1 + |w|)
 * with p(w, ε) = target, for 0 < target < 1. p is increasing in ε; Newton from the
 * first-order guess (p ≈ −ε·ln|w| for ε ≪ |w|), safeguarded by bisection, so it always
 * stays in the bracket; ε is resolved to about one ulp of |w| + ε (p's own resolution). Used by the record chain (§5b) to turn a probability
 * level back into an error.
 */
export function invertHitProbability(w: number, target: number): number {
  const aw = Math.abs(w);
  let lo = 0, hi = 1 + aw;
  if (!(target > 0)) return 0;
  if (target >= 1) return hi;
  let e: number;
  if (aw > 0 && aw < 1) e = target / -Math.log(aw);
  else if (aw >= 1) e = 2 * Math.sqrt(target);
  else e = target / (1 - Math.log(target));
  if (!(e > lo && e < hi)) e = 0.5 * (lo + hi);
  for (let iter = 0; iter < 100; iter++) {
    const f = hitProbability(w, e) - target;
    if (f === 0) return e;
    if (f > 0) hi = e; else lo = e;
    const slope = hitDensity(aw, e);
    const newton = e - f / slope;
    // converged: p depends on ε only through the rounded window ends |w| ± ε, so ε is resolved
    // to about one ulp of |w| + ε; a Newton step below that is rounding noise, not progress
    if (Math.abs(newton - e) <= 1e-15 * (aw + e)) return newton > lo && newton < hi ? newton : e;
    const next = newton > lo && newton < hi ? newton : 0.5 * (lo + hi);
    if (hi - lo <= 4e-16 * hi) return next;
    e = next;
  }
  return e;
}
