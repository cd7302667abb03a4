/** geometric(rng, p): index of the first success of Bernoulli(p) trials, from 1 (THEORY.md §4). */
import { describe, it, expect } from 'vitest';
import { Rng } from '../../src/rng/rng.js';
import { geometric } from '../../src/rng/geometric.js';
import { expectWithinSE, expectFraction, mean, fractionAtMost } from '../support/stats.js';

const N = 100000;

function sample(p: number, seedLo: number, n = N): Float64Array {
  const rng = new Rng(0x9e3779b9, seedLo);
  const ts = new Float64Array(n);
  for (let i = 0; i < n; i++) ts[i] = geometric(rng, p);
  return ts;
}

/** Exact CDF P(T ≤ t) = 1 − (1 − p)^t. */
const cdf = (p: number, t: number) => -Math.expm1(t * Math.log1p(-p));

describe('geometric', () => {
  it('p = 1 gives 1 and p = 0 gives Infinity', () => {
    const rng = new Rng(1, 2);
    for (let i = 0; i < 100; i++) expect(geometric(rng, 1)).toBe(1);
    expect(geometric(rng, 0)).toBe(Infinity);
  });

  it('returns integers ≥ 1', () => {
    for (const p of [0.9, 0.5, 0.01, 1e-6]) {
      const ts = sample(p, 17, 10000);
      expect(ts.every((t) => Number.isInteger(t) && t >= 1)).toBe(true);
    }
  });

  for (const [p, seed] of [[0.5, 1], [0.3, 2], [0.01, 3]] as const) {
    it(`p = ${p}: mean 1/p, P(T = 1) = p and P(T ≤ t) = 1 − (1 − p)^t within 4.5 SE`, () => {
      const ts = sample(p, seed);
      // Var(T) = (1 − p)/p²
      expectWithinSE(mean(ts), 1 / p, Math.sqrt((1 - p) / (p * p) / N), 'mean');
      expectFraction(ts.filter((t) => t === 1).length, N, p, 'P(T = 1)');
      for (const q of [0.25, 0.5, 0.75, 0.95]) {
        const t = Math.max(1, Math.round(Math.log1p(-q) / Math.log1p(-p)));
        expectFraction(Math.round(fractionAtMost(ts, t) * N), N, cdf(p, t), `P(T ≤ ${t})`);
      }
    });
  }

  it('p = 0.5: P(T = k) = 2^−k for k = 1..8', () => {
    const ts = sample(0.5, 4);
    for (let k = 1; k <= 8; k++) expectFraction(ts.filter((t) => t === k).length, N, 2 ** -k, `P(T = ${k})`);
  });

  for (const [p, seed] of [[1e-6, 5], [1e-12, 6]] as const) {
    it(`tiny p = ${p}: mean of p·T is 1 and the CDF matches at a few points`, () => {
      const ts = sample(p, seed);
      const scaled = Float64Array.from(ts, (t) => p * t);
      // p·T ≈ Exp(1): Var(p·T) = 1 − p
      expectWithinSE(mean(scaled), 1, Math.sqrt((1 - p) / N), 'mean of p·T');
      for (const t of [0.01 / p, 0.1 / p, Math.LN2 / p, 1 / p, 3 / p]) {
        const tt = Math.round(t);
        expectFraction(Math.round(fractionAtMost(ts, tt) * N), N, cdf(p, tt), `P(T ≤ ${tt})`);
      }
    });
  }
});
