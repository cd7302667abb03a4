/**
 * Closed forms of the single-weight lemma (THEORY.md §4) for a fixed w and for
 * w ~ U[−1, 1] per seed: success probability at width k, the lemma's union-bound
 * width and the exact width.
 */
import { describe, it, expect } from 'vitest';
import { lemmaSuccessProbability, lemmaTheoryWidth, lemmaExactWidth } from '../../src/pruning/pair-rule-theory.js';
import { pairSuccessProbability, skipPair, scanPair, PairDraw } from '../../src/pruning/pair-rule.js';
import { hitProbability } from '../../src/pruning/products.js';
import { Streams, cellSeed } from '../../src/rng/streams.js';
import { expectFraction } from '../support/stats.js';

/** Mean of the pair formula over w ~ U[−1, 1] by the midpoint rule on the whole interval
 *  (so the code's reduction to [0, 1] by evenness is checked too). */
function uniformByMidpoint(eps: number, k: number, points = 1000000): number {
  let s = 0;
  for (let i = 0; i < points; i++) {
    const w = -1 + (2 * (i + 0.5)) / points;
    s += pairSuccessProbability(hitProbability(w, eps) / 2, k);
  }
  return s / points;
}

/** Same mean by composite midpoint rules on pieces that shrink geometrically towards w = 0
 *  and w = 1 (cut at 2^j·ε and 1 − 2^j·ε), `points` per piece: resolves the drop of the
 *  integrand near |w| = 1, which is about as narrow as its distance to 1. */
function uniformByGeometricMidpoint(eps: number, k: number, points = 20000): number {
  const cuts = new Set([0, 0.5, 1]);
  for (let d = eps; d < 0.5; d *= 2) { cuts.add(d); cuts.add(1 - d); }
  const c = [...cuts].sort((a, b) => a - b);
  let total = 0;
  for (let j = 0; j + 1 < c.length; j++) {
    const h = (c[j + 1] - c[j]) / points;
    let s = 0;
    for (let i = 0; i < points; i++) s += pairSuccessProbability(hitProbability(c[j] + (i + 0.5) * h, eps) / 2, k);
    total += s * h;
  }
  return total;
}

describe('lemmaSuccessProbability', () => {
  it('for a number w is the pair formula with q = p(w, ε)/2', () => {
    for (const [w, eps, k] of [[0.5, 0.1, 40], [-0.9, 0.05, 600], [0, 0.01, 100], [1, 0.2, 300]]) {
      expect(lemmaSuccessProbability(w, eps, k)).toBe(pairSuccessProbability(hitProbability(w, eps) / 2, k));
    }
  });

  it('for "uniform" equals the mean of the pair formula over w ~ U[−1, 1] (midpoint rule, 10^6 points)', () => {
    // cases: small and large k, ε > ½ (then 1 − ε < ε), ε = 1 (no interior break point), small ε with huge k
    for (const [eps, k] of [[0.1, 50], [0.1, 1000], [0.05, 5000], [0.7, 3], [1, 5], [1e-3, 1e6]]) {
      const value = lemmaSuccessProbability('uniform', eps, k);
      expect(Math.abs(value - uniformByMidpoint(eps, k)), `ε = ${eps}, k = ${k}`).toBeLessThan(1e-9);
    }
  });

  it('for "uniform" stays accurate for small ε and large k, where the integrand drops only near |w| = 1', () => {
    // Regression: with breaks only at ε and 1 − ε, (ε = 1e-4, k = 1e8) gave 0.999907 instead of
    // 0.999701 and (ε = 1e-6, k = 1e10) 0.999999 instead of 0.999700: a failure probability
    // off by up to 300×, and exact_width 4× too small at ε = 1e-4, δ = 1e-4.
    const cases = [[1e-3, 1e7], [1e-4, 1e8], [1e-4, 3e8], [1e-6, 1e10], [1e-6, 1e12], [1e-9, 1e13], [1e-6, 3e5], [1e-2, 1e5]];
    for (const [eps, k] of cases) {
      const value = lemmaSuccessProbability('uniform', eps, k);
      expect(Math.abs(value - uniformByGeometricMidpoint(eps, k)), `ε = ${eps}, k = ${k}`).toBeLessThan(1e-9);
    }
    // and the exact width that depended on it: at ε = 1e-4, δ = 1e-4 the old value 66004890 fails
    const k = lemmaExactWidth('uniform', 1e-4, 1e-4);
    expect(uniformByGeometricMidpoint(1e-4, k)).toBeGreaterThanOrEqual(1 - 1e-4 - 1e-9);
    expect(uniformByGeometricMidpoint(1e-4, k - 1)).toBeLessThan(1 - 1e-4 + 1e-9);
    expect(uniformByGeometricMidpoint(1e-4, 66004890)).toBeLessThan(0.9996);
  });

  it('for "uniform" matches the simulated success rate of both samplers (w from the target stream)', () => {
    const eps = 0.1, n = 40000;
    const [h, l] = cellSeed('pair-rule-theory-test', 'weight-lemma', 'uniform');
    const d = new PairDraw();
    for (const k of [60, 259]) {
      const P = lemmaSuccessProbability('uniform', eps, k);
      for (const sampler of ['skip', 'scan'] as const) {
        let successes = 0;
        for (let i = 0; i < n; i++) {
          const streams = Streams.forSeed(h, l, i);
          const w = streams.get('target').weight();
          const block = streams.get('block');
          if (sampler === 'skip') skipPair(block, w, eps, d); else scanPair(block, w, eps, k, d);
          if (d.plusIndex > 0 && d.minusIndex > 0 && d.criticalWidth <= k) successes++;
        }
        expectFraction(successes, n, P, `${sampler}, k = ${k}`);
      }
    }
  });
});

describe('lemmaTheoryWidth', () => {
  it('is ⌈ln(2/δ)/q⌉ with q = p(w, ε)/2, and the worst |w| = 1 for "uniform": q = (ε + (1−ε)·ln(1−ε))/4', () => {
    const within = (k: number, ratio: number) => k >= ratio * (1 - 1e-12) && k < ratio * (1 + 1e-12) + 1;
    for (const [eps, delta] of [[0.1, 0.1], [0.05, 0.01], [0.3, 0.05], [0.01, 1e-3]]) {
      const qWorst = (eps + (1 - eps) * Math.log1p(-eps)) / 4;
      const kU = lemmaTheoryWidth('uniform', eps, delta);
      expect(Number.isInteger(kU)).toBe(true);
      expect(within(kU, Math.log(2 / delta) / qWorst), `uniform ε = ${eps}`).toBe(true);
      expect(kU).toBe(lemmaTheoryWidth(1, eps, delta));
      expect(kU).toBe(lemmaTheoryWidth(-1, eps, delta));
      for (const w of [0, 0.02, 0.5, -0.9]) {
        const k = lemmaTheoryWidth(w, eps, delta);
        expect(within(k, Math.log(2 / delta) / (hitProbability(w, eps) / 2)), `w = ${w}`).toBe(true);
        expect(k).toBeLessThanOrEqual(kU); // |w| = 1 is the worst case
      }
    }
    // THEORY.md: q ≈ ε²/8 for small ε
    expect(lemmaTheoryWidth('uniform', 1e-3, 0.1) / (Math.log(20) / (1e-6 / 8))).toBeCloseTo(1, 2);
  });
});

describe('lemmaExactWidth', () => {
  const cases: Array<[number | 'uniform', number, number]> = [
    [0.5, 0.1, 0.1], [-0.9, 0.05, 0.01], [0, 0.01, 0.05], [1, 0.2, 0.1], [0.02, 0.05, 1e-3],
    ['uniform', 0.1, 0.1], ['uniform', 0.05, 0.01], ['uniform', 0.3, 0.05], ['uniform', 0.7, 0.1], ['uniform', 0.01, 0.1],
  ];
  for (const [w, eps, delta] of cases) {
    it(`w = ${w}, ε = ${eps}, δ = ${delta}: the smallest k with P(k) ≥ 1 − δ, and ≤ the theory width`, () => {
      const k = lemmaExactWidth(w, eps, delta);
      expect(Number.isInteger(k) && k >= 1).toBe(true);
      expect(lemmaSuccessProbability(w, eps, k)).toBeGreaterThanOrEqual(1 - delta);
      expect(lemmaSuccessProbability(w, eps, k - 1)).toBeLessThan(1 - delta);
      expect(k).toBeLessThanOrEqual(lemmaTheoryWidth(w, eps, delta));
    });
  }

  it('is at least 2 (one unit cannot carry both signs), exact at q = ½, and grows as δ shrinks', () => {
    // ε = 1, w = 0: q = ½, P(k) = 1 − 2^(1−k): k = 1 gives 0, k = 2 gives ½, k = 5 gives 15/16
    expect(lemmaExactWidth(0, 1, 0.5)).toBe(2);
    expect(lemmaExactWidth(0, 1, 1 / 16)).toBe(5);
    let prev = 0;
    for (const delta of [0.5, 0.2, 0.1, 0.01, 1e-4]) {
      const k = lemmaExactWidth('uniform', 0.1, delta);
      expect(k).toBeGreaterThanOrEqual(prev);
      prev = k;
    }
  });
});
