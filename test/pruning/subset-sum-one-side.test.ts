/**
 * Issue 15 item 7: `one_side` reaches the subset-sum method. Layers ≥ 2 see inputs ≥ 0, so
 * only the v > 0 side is solved (THEORY.md §5 option, §7): their kept units all have v > 0,
 * and on identical scanned draws subset sums succeed wherever the one-sided pair rule does
 * (its single v > 0 unit is a subset). Before the fix the cells labelled one-sided were
 * two-sided and this failed on 5 of 500 seeds at d = n = l = 2, tau = 0.15, k = 16.
 */
import { describe, it, expect } from 'vitest';
import { Streams, cellSeed } from '../../src/rng/streams.js';
import { weightPrune, weightPruneSeed, type WeightPruneParams } from '../../src/experiments/weight-prune.js';

function params(overrides: Partial<WeightPruneParams>): WeightPruneParams {
  return weightPrune.resolve({
    d: 2, n: 2, l: 2, out: 1, target: 'random', layout: 'private', k: 16, epsilon: 0.1, delta: 0.1,
    one_side: true, sampler: 'scan', method: 'pair', tau: 0.15, criterion: 'per-weight', ...overrides,
  }) as WeightPruneParams;
}

describe('one_side with method "subset-sum"', () => {
  it('subset sums succeed on every seed where the one-sided pair rule does (500 seeds, scanned draws)', () => {
    const [hi, lo] = cellSeed('subset-sum-one-side', 'weight-prune', '');
    let pairOnly = 0, pairOk = 0, differsFromTwoSided = 0;
    for (let seed = 0; seed < 500; seed++) {
      const run = (overrides: Partial<WeightPruneParams>) => weightPruneSeed(params(overrides), Streams.forSeed(hi, lo, seed)).construction;
      const pair = run({}), subset = run({ method: 'subset-sum' });
      if (pair.success) pairOk++;
      if (pair.success && !subset.success) pairOnly++;
      if (subset.success !== run({ method: 'subset-sum', one_side: false }).success) differsFromTwoSided++;
    }
    expect(pairOk).toBeGreaterThan(20);
    expect(pairOnly).toBe(0);
    expect(differsFromTwoSided).toBeGreaterThan(0);
  });

  it('layers ≥ 2 keep only v > 0 units; layer 1 keeps both sides', () => {
    for (const layout of ['private', 'shared'] as const) {
      const [hi, lo] = cellSeed('subset-sum-one-side', 'kept', layout);
      let minusInFirst = 0;
      for (let seed = 0; seed < 30; seed++) {
        const { construction } = weightPruneSeed(params({ method: 'subset-sum', layout, criterion: 'global' }), Streams.forSeed(hi, lo, seed));
        construction.prunedNet.pairs.forEach((pair, i) => {
          for (let m = 0; m < pair.unitCount; m++) {
            if (i >= 1) expect(pair.unitV[m]).toBeGreaterThan(0);
            else if (pair.unitV[m] < 0) minusInFirst++;
          }
        });
      }
      expect(minusInFirst).toBeGreaterThan(0);
    }
  });
});
