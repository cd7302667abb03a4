/**
 * Success probabilities of the pair rule (THEORY.md §4):
 *   pair:     P(K ≤ k) = 1 − 2(1−q)^k + (1−2q)^k
 *   one-side: 1 − (1−q)^k
 *   theory width: ⌈ln(2/δ)/q⌉ (union bound 2(1−q)^k ≤ δ)
 */
import { describe, it, expect } from 'vitest';
import { pairSuccessProbability, oneSideSuccessProbability, pairTheoryWidth } from '../../src/pruning/pair-rule.js';
import { relErr } from '../support/stats.js';

/** The pair formula expanded: Σ_{j≥2} C(k, j)(−q)^j (2^j − 2). Only used where 2kq ≤ 0.2,
 *  so the terms shrink by ≥ 5× each and nothing cancels. */
function pairSeries(q: number, k: number): number {
  let s = 0, t = 1; // t = C(k, j)·(−q)^j
  for (let j = 1; j <= k && j < 200; j++) {
    t *= (-q * (k - j + 1)) / j;
    const term = t * (2 ** j - 2);
    s += term;
    if (j >= 2 && Math.abs(term) < 1e-20 * Math.abs(s)) break;
  }
  return s;
}

/** 1 − (1−q)^k = Σ_{j≥1} C(k, j)(−1)^{j+1} q^j, same regime. */
function oneSideSeries(q: number, k: number): number {
  let s = 0, t = 1; // t = C(k, j)·(−q)^j
  for (let j = 1; j <= k && j < 200; j++) {
    t *= (-q * (k - j + 1)) / j;
    s -= t;
    if (Math.abs(t) < 1e-20 * Math.abs(s)) break;
  }
  return s;
}

const direct = (q: number, k: number) => 1 - 2 * (1 - q) ** k + (1 - 2 * q) ** k;

describe('pairSuccessProbability', () => {
  it('equals 1 − 2(1−q)^k + (1−2q)^k where the direct formula does not cancel', () => {
    for (const q of [0.5, 0.4, 0.25, 0.1, 0.03, 0.01]) {
      for (const k of [1, 2, 3, 5, 10, 50, 200, 1000, 100000]) {
        const ref = direct(q, k);
        expect(Math.abs(pairSuccessProbability(q, k) - ref), `q = ${q}, k = ${k}`).toBeLessThanOrEqual(1e-14 + 1e-12 * ref);
      }
    }
  });

  it('q = 1e-9, k = 1000 gives ≈ 1.0e-12 (the direct formula gives 8.9e-13)', () => {
    const ref = pairSeries(1e-9, 1000); // ≈ k²q² − k q² − …
    expect(relErr(ref, 999000 * 1e-18)).toBeLessThan(1e-5);
    expect(relErr(pairSuccessProbability(1e-9, 1000), ref)).toBeLessThan(1e-6);
  });

  it('keeps full relative precision when kq is small (series reference, 2kq ≤ 0.2)', () => {
    for (const q of [1e-3, 1e-6, 1e-9, 1e-12, 1e-15]) {
      for (const k of [2, 3, 10, 100, 1000, 1e6]) {
        if (2 * k * q > 0.2) continue;
        expect(relErr(pairSuccessProbability(q, k), pairSeries(q, k)), `q = ${q}, k = ${k}`).toBeLessThan(1e-12);
      }
    }
  });

  it('special values: 0 for k ≤ 1 or q = 0; 1 − 2^(1−k) at q = ½; → 1 as k → ∞', () => {
    for (const q of [0.5, 0.3, 0.01, 1e-9]) {
      expect(pairSuccessProbability(q, 0), `q = ${q}, k = 0`).toBe(0);
      expect(pairSuccessProbability(q, 1), `q = ${q}, k = 1`).toBeLessThanOrEqual(1e-15 * q * q);
    }
    expect(pairSuccessProbability(0, 100)).toBe(0);
    for (const k of [1, 2, 3, 10, 60]) expect(relErr(pairSuccessProbability(0.5, k), 1 - 2 ** (1 - k))).toBeLessThan(1e-15);
    expect(pairSuccessProbability(0.01, 1e5)).toBe(1);
    expect(pairSuccessProbability(1e-12, 1e15)).toBe(1);
  });

  it('is non-decreasing in k and P(K = k) = P(k) − P(k − 1) sums to E[K] = 3/(2q)', () => {
    for (const q of [0.3, 0.1, 0.01, 1e-3]) {
      let prev = 0, meanK = 0;
      // E[K] = Σ_{k ≥ 0} P(K > k); the tail past 60/q is below e^-60
      for (let k = 0; k <= Math.ceil(60 / q); k++) {
        const P = pairSuccessProbability(q, k);
        expect(P, `q = ${q}, k = ${k}`).toBeGreaterThanOrEqual(prev);
        prev = P;
        meanK += 1 - P;
      }
      expect(relErr(meanK, 3 / (2 * q)), `q = ${q}`).toBeLessThan(1e-9);
    }
  });

  it('lies between the union bound 1 − 2(1−q)^k and the one-side probability', () => {
    for (const q of [0.3, 0.05, 1e-4, 1e-8]) {
      for (const k of [1, 2, 10, 100, 1e4, 1e6, 1e9]) {
        const P = pairSuccessProbability(q, k), one = oneSideSuccessProbability(q, k);
        expect(P).toBeLessThanOrEqual(one * (1 + 1e-12));
        expect(P).toBeGreaterThanOrEqual((2 * one - 1) - 1e-15);
      }
    }
  });
});

describe('oneSideSuccessProbability', () => {
  it('equals 1 − (1 − q)^k, with full relative precision for tiny kq', () => {
    for (const q of [0.5, 0.1, 0.01]) for (const k of [0, 1, 2, 10, 1000]) {
      expect(Math.abs(oneSideSuccessProbability(q, k) - (1 - (1 - q) ** k))).toBeLessThanOrEqual(1e-14);
    }
    for (const q of [1e-6, 1e-9, 1e-12, 1e-15]) for (const k of [1, 10, 1000]) {
      if (k * q > 0.1) continue;
      expect(relErr(oneSideSuccessProbability(q, k), oneSideSeries(q, k)), `q = ${q}, k = ${k}`).toBeLessThan(1e-12);
    }
  });
});

describe('pairTheoryWidth', () => {
  it('is ⌈ln(2/δ)/q⌉ and its union bound 2(1 − q)^k ≤ δ holds there', () => {
    for (const q of [0.2, 0.01, 1e-5, 1e-9]) {
      for (const delta of [0.5, 0.1, 0.01, 1e-6]) {
        const k = pairTheoryWidth(q, delta);
        expect(k).toBe(Math.ceil(Math.log(2 / delta) / q));
        expect(2 * Math.exp(k * Math.log1p(-q))).toBeLessThanOrEqual(delta * (1 + 1e-12));
        expect(1 - pairSuccessProbability(q, k)).toBeLessThanOrEqual(delta * (1 + 1e-12));
      }
    }
  });
});
