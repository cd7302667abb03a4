/**
 * sampleProductIn(lo, hi, u1, u2): a product UV conditioned on lying in [lo, hi]
 * (density ∝ −ln|z|), by inverting the CDF (THEORY.md §4, skipping step 3).
 */
import { describe, it, expect } from 'vitest';
import { sampleProductIn, phi, phiDiff } from '../../src/pruning/products.js';
import { Rng } from '../../src/rng/rng.js';
import { expectFraction, fractionAtMost, ksOneSample, ksCritical } from '../support/stats.js';

/** P(lo ≤ Z ≤ z)·2 for Z = UV, lo ≤ z, without cancellation on one-sided intervals. */
function mass2(lo: number, z: number): number {
  if (lo >= 0) return phiDiff(lo, z);
  if (z <= 0) return phiDiff(-z, -lo);
  return phi(-lo) + phi(z);
}
/** Exact conditional CDF (Hc(z) − Hc(lo))/(Hc(hi) − Hc(lo)). */
const condCdf = (lo: number, hi: number) => (z: number) => (z <= lo ? 0 : z >= hi ? 1 : mass2(lo, z) / mass2(lo, hi));

const INTERVALS: Array<[number, number, string]> = [
  [0.2, 0.5, 'inside (0, 1)'],
  [0, 0.1, 'from 0'],
  [-0.1, 0.3, 'straddling 0, mostly positive'],
  [-0.3, 0.05, 'straddling 0, mostly negative'],
  [-1e-3, 1e-3, 'tiny, around 0'],
  [-0.9, -0.6, 'negative'],
  [0.8, 1, 'touching 1'],
  [-1, -0.95, 'touching −1'],
  [-1, 1, 'everything'],
  [0.5, 0.5 + 1e-9, 'tiny, at 0.5'],
  [-0.7 - 1e-7, -0.7 + 1e-7, 'tiny, negative'],
];

describe('sampleProductIn', () => {
  for (const [lo, hi, label] of INTERVALS) {
    it(`[${lo}, ${hi}] (${label}): draws lie in the interval and follow the exact conditional CDF`, () => {
      const rng = new Rng(0xa4093822, 0x299f31d0);
      const n = 20000;
      const zs = new Float64Array(n);
      let outside = 0;
      for (let i = 0; i < n; i++) {
        const z = sampleProductIn(lo, hi, rng.next(), rng.next());
        if (!(z >= lo && z <= hi)) outside++;
        zs[i] = z;
      }
      expect(outside).toBe(0);
      const F = condCdf(lo, hi);
      for (const f of [0.05, 0.25, 0.5, 0.75, 0.95]) {
        const t = lo + f * (hi - lo);
        expectFraction(Math.round(fractionAtMost(zs, t) * n), n, F(t), `P(Z ≤ ${t})`);
      }
      if (lo < 0 && hi > 0) expectFraction(zs.filter((z) => z > 0).length, n, phi(hi) / (phi(-lo) + phi(hi)), 'P(Z > 0)');
      expect(ksOneSample(zs, F)).toBeLessThan(ksCritical(n));
    });
  }

  it('inverts the CDF: F(sampleProductIn(lo, hi, u)) = u on one-signed intervals, up to the spacing of doubles', () => {
    const rng = new Rng(5, 6);
    for (const [lo, hi] of INTERVALS) {
      if (lo < 0 && hi > 0) continue;
      const F = condCdf(lo, hi);
      for (let i = 0; i < 2000; i++) {
        const u = rng.next();
        const z = sampleProductIn(lo, hi, u, rng.next());
        // the answer is a double: F can only be hit within the CDF step of one ulp of z
        const tol = 1e-12 + (8 * Number.EPSILON * Math.abs(z)) / (hi - lo);
        const target = lo >= 0 ? u : 1 - u; // negative intervals are mirrored: u measures from the end nearer 0
        expect(Math.abs(F(z) - target), `[${lo}, ${hi}], u = ${u}`).toBeLessThanOrEqual(tol);
      }
    }
  });

  it('is non-decreasing in u1 on a one-signed interval, with the ends at u1 = 0 and u1 → 1', () => {
    for (const [lo, hi] of [[0.2, 0.5], [0.8, 1], [0, 0.1]]) {
      let prev = -Infinity;
      for (let i = 0; i <= 1000; i++) {
        const z = sampleProductIn(lo, hi, i / 1000, 0.5);
        expect(z).toBeGreaterThanOrEqual(prev);
        prev = z;
      }
      expect(sampleProductIn(lo, hi, 0, 0.5)).toBeLessThanOrEqual(lo + 1e-15 + (lo === 0 ? Number.MIN_VALUE : 0));
      expect(sampleProductIn(lo, hi, 1 - 2 ** -53, 0.5)).toBeGreaterThan(hi - 1e-9);
    }
  });
});
