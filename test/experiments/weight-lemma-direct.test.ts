import { describe, it, expect } from 'vitest';
import { weightLemma } from '../../src/experiments/weight-lemma.js';
import { Streams } from '../../src/rng/streams.js';

/**
 * weight-lemma with construction "direct" (Pensia's code): w as the closest subset sum of k
 * coefficients U[−1, 1]; P(success) is Lueker's P_n(w, ε) of THEORY.md §6, whose Monte Carlo
 * references (±0.01) are P_n(0.7, 0.01) = 0.106, 0.316, 0.675, 0.905 for n = 4, 6, 8, 10.
 * Tolerance: 4.5 binomial standard errors plus the reference's 0.01.
 */
const SEEDS = 4000;
const given = { w: 0.7, epsilon: 0.01, delta: 0.1, sampler: 'skip', method: 'subset-sum', construction: 'direct', coefficients: 'uniform' };

describe('weight-lemma, direct construction', () => {
  for (const [n, reference] of [[4, 0.106], [6, 0.316], [8, 0.675], [10, 0.905]] as const) {
    it(`P(some subset of ${n} coefficients within 0.01 of 0.7) ≈ ${reference}`, () => {
      const params = weightLemma.resolve({ ...given, k: n });
      let successes = 0;
      for (let i = 0; i < SEEDS; i++) {
        const row = weightLemma.run(params, Streams.forSeed(0x2026, 14, i));
        successes += row[0]!;
        if (row[0] === 1) {
          expect(row[1]!).toBeLessThanOrEqual(0.01);
          expect(row[2]!).toBeLessThanOrEqual(n); // the critical width: a prefix of the same coefficients
        }
      }
      const p = successes / SEEDS, se = Math.sqrt((reference * (1 - reference)) / SEEDS);
      expect(Math.abs(p - reference)).toBeLessThanOrEqual(4.5 * se + 0.01);
    });
  }

  it('success is monotone in k on the same seed (nested coefficients)', () => {
    for (let i = 0; i < 300; i++) {
      const streams = Streams.forSeed(1, 2, i);
      let before = 0;
      for (const k of [4, 8, 12, 16]) {
        const success = weightLemma.run(weightLemma.resolve({ ...given, k }), streams)[0]!;
        expect(success).toBeGreaterThanOrEqual(before);
        before = success;
      }
    }
  });

  it('refuses the pair rule', () => {
    expect(() => weightLemma.resolve({ ...given, method: 'pair', k: 8 })).toThrow(/construction "direct" needs method "subset-sum"/);
  });
});
