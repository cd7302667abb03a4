/**
 * Issue 15 item 13: quantileWithCI's order-statistic interval [X_(r), X_(s)] (Hahn & Meeker
 * §5.2): reference ranks, and simulated coverage of a known quantile.
 */
import { describe, it, expect } from 'vitest';
import { quantileWithCI } from '../../src/stats/quantile-ci.js';
import { Streams, cellSeed } from '../../src/rng/streams.js';

const ranks = (n: number) => Float64Array.from({ length: n }, (_, j) => j + 1); // X_(j) = j

describe('quantileWithCI', () => {
  it('reference ranks: median of 100 at 95% is [X_(40), X_(61)], point X_(50)', () => {
    // P(B ≤ 39) = 0.0176 ≤ 0.025 < P(B ≤ 40) = 0.0284; P(B ≤ 59) = 0.9716 < 0.975 ≤ P(B ≤ 60) = 0.9824, B ~ Bin(100, ½)
    expect(quantileWithCI(ranks(100), 0.5, 0.95)).toEqual({ value: 50, low: 40, high: 61 });
  });

  it('reference ranks: 0.9-quantile of 200 at 95% is [X_(171), X_(189)], point X_(180)', () => {
    // B ~ Bin(200, 0.9): P(B ≤ 170) = 0.0169 ≤ 0.025 < P(B ≤ 171) = 0.0274; P(B ≤ 187) = 0.9722 < 0.975 ≤ P(B ≤ 188) = 0.9847
    expect(quantileWithCI(ranks(200), 0.9, 0.95)).toEqual({ value: 180, low: 171, high: 189 });
  });

  it('an upper rank beyond n is +∞ (too few seeds to bound the quantile)', () => {
    const q = quantileWithCI(ranks(20), 0.95, 0.95)!;
    expect(q.value).toBe(19);
    expect(q.high).toBe(Infinity);
  });

  it('covers the true 0.9-quantile of U(0, 1) in ≥ 95% of 4000 samples of 200 (within 4.5 SE; α instead of α/2 would give 92.45%)', () => {
    const [hi, lo] = cellSeed('test', 'quantile-ci', 'coverage');
    const reps = 4000, n = 200, level = 0.9;
    let covered = 0;
    for (let rep = 0; rep < reps; rep++) {
      const rng = Streams.forSeed(hi, lo, rep).get('sample');
      const x = Float64Array.from({ length: n }, () => rng.next()).sort();
      const q = quantileWithCI(x, level, 0.95)!;
      if (q.low <= level && level <= q.high) covered++;
    }
    const coverage = covered / reps;
    const se = Math.sqrt(0.95 * 0.05 / reps);
    expect(coverage).toBeGreaterThanOrEqual(0.95 - 4.5 * se);
    expect(coverage).toBeLessThanOrEqual(1);
  });
});
