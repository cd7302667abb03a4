/**
 * Issue 15 item 12: the target substream carries the seed index. Through weight-prune's own
 * sampling function, `random`, `sign` and `worst` targets differ from seed to seed of a cell,
 * and a `fixed` target is the same for every seed (but differs between cells).
 */
import { describe, it, expect } from 'vitest';
import { weightPrune, sampleTargetFor, type WeightPruneParams } from '../../src/experiments/weight-prune.js';
import { Streams, cellSeed } from '../../src/rng/streams.js';

const params = (target: string) => weightPrune.resolve({
  d: 4, n: 4, l: 2, out: 1, target, layout: 'private', k: 100, epsilon: 0.1, delta: 0.1,
  one_side: false, sampler: 'skip', method: 'pair', tau: null,
}) as WeightPruneParams;

function targets(target: string, cell: string, seeds: number): string[] {
  const p = params(target);
  const [hi, lo] = cellSeed('1', 'weight-prune', cell);
  return Array.from({ length: seeds }, (_, seed) => JSON.stringify(sampleTargetFor(p, Streams.forSeed(hi, lo, seed)).layers.map((w) => Array.from(w))));
}

describe('targets per seed (weight-prune sampleTargetFor)', () => {
  for (const kind of ['random', 'sign', 'worst']) {
    it(`${kind}: every seed of a cell has its own target`, () => {
      const drawn = targets(kind, `{"target":"${kind}"}`, 20);
      expect(new Set(drawn).size).toBe(20);
    });
  }

  it('fixed: one target for every seed of a cell, another for another cell', () => {
    const drawn = targets('fixed', '{"target":"fixed","d":4}', 20);
    expect(new Set(drawn).size).toBe(1);
    expect(targets('fixed', '{"target":"fixed","d":5}', 1)[0]).not.toBe(drawn[0]);
  });
});
