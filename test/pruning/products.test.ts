/**
 * The product Z = U·V of two U[−1, 1] weights (THEORY.md §4): φ, φ(b) − φ(a) without
 * cancellation, Hc, and the hit probability p(w, ε) = P(|UV − w| ≤ ε).
 */
import { describe, it, expect } from 'vitest';
import { phi, phiDiff, hc, hitProbability } from '../../src/pruning/products.js';
import { integratePiecewise } from '../../src/stats/integrate.js';
import { Rng } from '../../src/rng/rng.js';
import { expectFraction, relErr } from '../support/stats.js';

/** ∫_a^b −ln t dt for a tiny interval: midpoint rule plus its h³ term (f'' = 1/t²); error O(h⁵/m⁴). */
function smallIntervalIntegral(a: number, b: number): number {
  const h = b - a, m = 0.5 * (a + b);
  return -h * Math.log(m) + (h * h * h) / (24 * m * m);
}

/** p(w, ε) by integrating the density −½·ln|z| of Z over [w − ε, w + ε] ∩ [−1, 1]. */
function pByQuadrature(w: number, eps: number): number {
  const lo = Math.max(w - eps, -1), hi = Math.min(w + eps, 1);
  if (!(hi > lo)) return 0;
  return integratePiecewise((z) => -0.5 * Math.log(Math.abs(z)), lo, hi, [0], 1e-14);
}

/** ε + (1 − ε)·ln(1 − ε) = Σ_{j ≥ 2} ε^j / (j(j − 1)): the series (no cancellation) for
 *  ε < 0.1, the closed form (no cancellation there) above. */
function edgeSeries(eps: number): number {
  if (eps >= 0.1) return eps + (1 - eps) * Math.log1p(-eps);
  let s = 0, term = eps;
  for (let j = 2; j < 400; j++) {
    term *= eps;
    const t = term / (j * (j - 1));
    s += t;
    if (t < 1e-18 * s) break;
  }
  return s;
}

describe('phi', () => {
  it('closed values and clamping', () => {
    expect(phi(0)).toBe(0);
    expect(phi(-0.3)).toBe(0);
    expect(phi(1)).toBe(1);
    expect(phi(1.7)).toBe(1);
    expect(relErr(phi(0.5), 0.5 + 0.5 * Math.LN2)).toBeLessThan(1e-15);
    expect(relErr(phi(Math.exp(-1)), 2 * Math.exp(-1))).toBeLessThan(1e-15);
    expect(relErr(phi(1e-10), 1e-10 * (1 + 10 * Math.LN10))).toBeLessThan(1e-14);
  });

  it('is the CDF of |UV|: φ(t) = ∫_0^t −ln s ds', () => {
    for (const t of [1e-6, 0.01, 0.2, 0.5, 0.9, 0.999]) {
      const integral = integratePiecewise((s) => -Math.log(s), 0, t, [], 1e-15);
      expect(relErr(phi(t), integral), `t = ${t}`).toBeLessThan(1e-10);
    }
  });
});

describe('phiDiff', () => {
  it('equals φ(b) − φ(a) where the subtraction does not cancel', () => {
    const pairs = [[0.1, 0.7], [0.01, 0.02], [0.3, 0.31], [0.5, 1], [0.05, 0.95], [1e-5, 0.5], [0.2, 0.2001], [0.1, 0.1009], [0.5, 0.5049]]; // the last two use the series of x − log1p(x)
    for (const [a, b] of pairs) expect(relErr(phiDiff(a, b), phi(b) - phi(a)), `[${a}, ${b}]`).toBeLessThan(1e-11);
  });

  it('is accurate for tiny intervals where φ(b) − φ(a) cancels', () => {
    const cases = [[0.5, 1e-9], [0.5, 1e-12], [1e-3, 1e-12], [0.999, 1e-10], [0.25, 1e-6], [1e-8, 1e-14]];
    for (const [a, h] of cases) {
      const b = a + h;
      const ref = smallIntervalIntegral(a, b);
      expect(relErr(phiDiff(a, b), ref), `[${a}, ${a} + ${h}]`).toBeLessThan(1e-12);
    }
    // up to 1, where −ln t → 0: ∫_{1−h}^1 −ln t dt = Σ_{j≥2} h^j/(j(j − 1)) (h = 2^−m exact)
    for (const m of [10, 23, 33, 40]) {
      const h = 2 ** -m;
      expect(relErr(phiDiff(1 - h, 1), edgeSeries(h)), `[1 − 2^−${m}, 1]`).toBeLessThan(1e-12);
    }
    // the brief's example: a = 0.5, h = 1e-9 gives ≈ 1e-9·ln 2
    expect(relErr(phiDiff(0.5, 0.5 + 1e-9), 1e-9 * Math.LN2)).toBeLessThan(1e-6);
  });

  it('edge cases: a ≤ 0 gives φ(b), b is clamped to 1, an empty interval gives 0', () => {
    expect(phiDiff(0, 0.3)).toBe(phi(0.3));
    expect(phiDiff(-0.2, 0.3)).toBe(phi(0.3));
    expect(phiDiff(0.4, 1.5)).toBe(phiDiff(0.4, 1));
    expect(phiDiff(0.4, 0.4)).toBe(0);
    expect(phiDiff(0.5, 0.4)).toBe(0);
    expect(phiDiff(1.2, 1.5)).toBe(0);
  });
});

describe('hc', () => {
  it('is the CDF of Z minus 1/2: odd, ±1/2 at ±1, clamped beyond', () => {
    expect(hc(0)).toBe(0);
    expect(hc(1)).toBe(0.5);
    expect(hc(-1)).toBe(-0.5);
    expect(hc(3)).toBe(0.5);
    expect(hc(-3)).toBe(-0.5);
    for (const z of [1e-9, 0.1, 0.5, 0.99]) {
      expect(hc(-z)).toBe(-hc(z));
      expect(relErr(hc(z), 0.5 * phi(z))).toBeLessThan(1e-15);
    }
  });
});

describe('hitProbability p(w, ε)', () => {
  it('p(0, ε) = ε − ε·ln ε', () => {
    for (const eps of [1e-12, 1e-9, 1e-3, 0.1, 0.5, 0.9, 1]) {
      expect(relErr(hitProbability(0, eps), eps - eps * Math.log(eps)), `ε = ${eps}`).toBeLessThan(1e-14);
    }
  });

  it('p(±1, ε) = (ε + (1 − ε)·ln(1 − ε))/2 ≈ ε²/4, also for tiny ε', () => {
    for (const eps of [1e-9, 1e-6, 1e-4, 0.01, 0.2, 0.5, 0.9, 0.999]) {
      // Series form for the reference (no cancellation at small ε). The window's lower
      // end 1 − ε is rounded to a double before anything else happens, so the reference
      // uses the window actually evaluated, ε′ = 1 − fl(1 − ε) (exact by Sterbenz):
      // at ε = 1e-9 that alone moves p by ~1e-7 relative.
      const ref = 0.5 * edgeSeries(1 - (1 - eps));
      expect(relErr(hitProbability(1, eps), ref), `ε = ${eps}`).toBeLessThan(1e-12);
      expect(relErr(hitProbability(-1, eps), ref), `ε = ${eps}`).toBeLessThan(1e-12);
      if (eps >= 0.01) expect(relErr(ref, (eps + (1 - eps) * Math.log(1 - eps)) / 2)).toBeLessThan(1e-12);
    }
    expect(relErr(hitProbability(1, 1e-6), 1e-12 / 4)).toBeLessThan(1e-5);
  });

  it('is even in w', () => {
    for (const eps of [1e-6, 0.05, 0.3, 0.8]) {
      for (let w = 0; w <= 1.2; w += 0.0137) expect(hitProbability(-w, eps)).toBe(hitProbability(w, eps));
    }
  });

  it('is non-increasing in |w| (fine grid, every case of the split)', () => {
    for (const eps of [1e-6, 0.01, 0.1, 0.3, 0.6, 1]) {
      let prev = Infinity;
      for (let i = 0; i <= 12000; i++) {
        const w = i / 10000;
        const p = hitProbability(w, eps);
        expect(p, `ε = ${eps}, w = ${w}`).toBeLessThanOrEqual(prev * (1 + 1e-12));
        prev = p;
      }
    }
  });

  it('p ≥ ε·ln(1/(|w| + ε)) when |w| + ε ≤ 1', () => {
    for (const eps of [1e-6, 0.01, 0.1, 0.3]) {
      for (let w = -(1 - eps); w <= 1 - eps; w += 0.01) {
        expect(hitProbability(w, eps)).toBeGreaterThanOrEqual(eps * Math.log(1 / (Math.abs(w) + eps)) * (1 - 1e-12));
      }
    }
  });

  it('is 0 beyond |w| > 1 + ε, 1 when the window covers [−1, 1], and in [0, 1] everywhere', () => {
    expect(hitProbability(1.3, 0.2)).toBe(0);
    expect(hitProbability(-1.3, 0.2)).toBe(0);
    expect(hitProbability(0, 1)).toBe(1);
    expect(hitProbability(0.2, 1.5)).toBe(1);
    for (let w = -1; w <= 1; w += 0.05) for (const eps of [1e-3, 0.1, 0.5, 1]) {
      const p = hitProbability(w, eps);
      expect(p >= 0 && p <= 1).toBe(true);
    }
  });

  it('equals the integral of the density −½·ln|z| over the window (all four cases of the split)', () => {
    const cases = [
      [0.5, 0.1], [0.5, 1e-9], [0.02, 0.05], [0, 0.3], [0.95, 0.1], [1, 0.2], [-0.9, 0.05], [0.5, 0.6], [-0.2, 0.9], [0.3, 0.3], [0.999, 1e-4],
    ];
    for (const [w, eps] of cases) {
      expect(relErr(hitProbability(w, eps), pByQuadrature(w, eps)), `w = ${w}, ε = ${eps}`).toBeLessThan(1e-9);
    }
  });

  it('matches a Monte Carlo estimate of P(|UV − w| ≤ ε) within 4.5 SE (10^5 draws per case)', () => {
    const cases = [
      [0.5, 0.1], [0.99, 0.05], [-1, 0.1], [1, 0.2], [0.95, 0.1], [0.03, 0.05], [-0.02, 0.05], [0.5, 0.6], [-0.2, 0.3], [0, 0.01], [0, 1], [-0.7, 0.02],
    ];
    const rng = new Rng(0x13198a2e, 0x03707344);
    const n = 100000;
    for (const [w, eps] of cases) {
      let hits = 0;
      for (let i = 0; i < n; i++) if (Math.abs(rng.weight() * rng.weight() - w) <= eps) hits++;
      const p = hitProbability(w, eps);
      if (p === 1) expect(hits).toBe(n);
      else expectFraction(hits, n, p, `w = ${w}, ε = ${eps}`);
    }
  });
});
