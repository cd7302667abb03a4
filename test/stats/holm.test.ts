import { describe, it, expect } from 'vitest';
import { holmRejections } from '../../src/stats/holm.js';
import { binomialPValue } from '../../src/stats/binomial.js';
import { clopperPearson } from '../../src/stats/clopper-pearson.js';
import { Streams, cellSeed } from '../../src/rng/streams.js';

describe('Holm step-down', () => {
  it('rejects in order of p-values against α/(m − j + 1), stopping at the first failure', () => {
    expect(holmRejections([0.01, 0.04, 0.03, 0.005], 0.05)).toEqual([true, false, false, true]);
    // 0.005 ≤ 0.05/4, 0.01 ≤ 0.05/3, 0.03 > 0.05/2: stop
    expect(holmRejections([0.001, 0.02, 0.024], 0.05)).toEqual([true, true, true]);
    expect(holmRejections([], 0.05)).toEqual([]);
  });

  it('the binomial p-value agrees with the Clopper–Pearson interval', () => {
    for (const [x, n, p0] of [[90, 100, 0.95], [99, 100, 0.9], [50, 100, 0.5], [1000, 1000, 0.995]] as const) {
      const ci = clopperPearson(x, n, 0.95);
      const excluded = p0 < ci.low || p0 > ci.high;
      expect(binomialPValue(x, n, p0) < 0.05).toBe(excluded);
    }
  });

  /** A family of 20 true nulls (every cell has p exactly 1 − δ): Holm keeps P(any verdict) ≤ α; per-cell tests do not. */
  it('controls the family-wise error in a simulated family of true nulls', () => {
    const [hi, lo] = cellSeed('holm-test', 'fwer', 'family');
    const families = 2000, m = 20, n = 200, p = 0.9, alpha = 0.05;
    let holmErrors = 0, rawErrors = 0;
    for (let f = 0; f < families; f++) {
      const streams = Streams.forSeed(hi, lo, f);
      const pValues: number[] = [];
      for (let c = 0; c < m; c++) {
        const rng = streams.get('cell', c);
        let x = 0;
        for (let t = 0; t < n; t++) if (rng.next() < p) x++;
        pValues.push(binomialPValue(x, n, p));
      }
      if (holmRejections(pValues, alpha).some(Boolean)) holmErrors++;
      if (pValues.some((v) => v <= alpha)) rawErrors++;
    }
    const se = Math.sqrt(alpha * (1 - alpha) / families);
    expect(holmErrors / families).toBeLessThanOrEqual(alpha + 4.5 * se);
    expect(rawErrors / families).toBeGreaterThan(0.3); // ≈ 1 − 0.96^20 for 20 exact tests
  });
});
