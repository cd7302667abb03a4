/**
 * Issue 15 item 14: the pair rule's boundary. A seed whose critical width is K
 * (max of the first + and − hits, THEORY.md §4) succeeds at k = K and fails at k = K − 1,
 * with the skipping and the scanning sampler alike.
 */
import { describe, it, expect } from 'vitest';
import { weightLemma, type WeightLemmaParams } from '../../src/experiments/weight-lemma.js';
import { Streams, cellSeed } from '../../src/rng/streams.js';

const resolve = (k: number, sampler: string) => weightLemma.resolve({ w: 0.7, epsilon: 0.05, k, delta: 0.1, sampler, method: 'pair' }) as WeightLemmaParams;
const SUCCESS = weightLemma.columns.findIndex((c) => c.name === 'success');
const CRITICAL = weightLemma.columns.findIndex((c) => c.name === 'critical_width');

describe('pair rule at k = critical width', () => {
  for (const sampler of ['skip', 'scan']) {
    it(`${sampler}: success at K, failure at K − 1, for every seed`, () => {
      const [hi, lo] = cellSeed('test', 'weight-lemma', `boundary-${sampler}`);
      for (let seed = 0; seed < 200; seed++) {
        const streams = () => Streams.forSeed(hi, lo, seed);
        const K = weightLemma.run(resolve(1e6, sampler), streams())[CRITICAL] as number;
        expect(Number.isInteger(K)).toBe(true);
        expect(K).toBeGreaterThanOrEqual(2);
        expect(weightLemma.run(resolve(K, sampler), streams())[SUCCESS]).toBe(1);
        expect(weightLemma.run(resolve(K - 1, sampler), streams())[SUCCESS]).toBe(0);
      }
    });
  }
});
