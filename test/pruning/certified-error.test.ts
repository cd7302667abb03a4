/**
 * Issue 15 item 14: certified_error = Π_i (1 + η_i) − 1 with η_i = ‖E_i‖_F (THEORY.md §5),
 * E_i recomputed here from the pruned network's kept weights against the target.
 */
import { describe, it, expect } from 'vitest';
import { weightPrune, weightPruneSeed, type WeightPruneParams } from '../../src/experiments/weight-prune.js';
import { Streams, cellSeed } from '../../src/rng/streams.js';

const p = weightPrune.resolve({
  d: 3, n: 4, l: 3, out: 2, target: 'random', layout: 'private', k: 'theory', epsilon: 0.5, delta: 0.1,
  one_side: false, sampler: 'skip', method: 'pair', tau: null,
}) as WeightPruneParams;

describe('certified error', () => {
  it('is Π(1 + ‖E_i‖_F) − 1, E_i from the kept units (private blocks: e_ab = max over the kept pair of |u·v − W_i[a,b]|)', () => {
    const [hi, lo] = cellSeed('test', 'weight-prune', 'certified');
    let checked = 0;
    for (let seed = 0; seed < 10; seed++) {
      const { construction, target } = weightPruneSeed(p, Streams.forSeed(hi, lo, seed));
      if (!construction.success) continue;
      checked++;
      let product = 1;
      construction.prunedNet.pairs.forEach((pair, i) => {
        const rows = target.widths[i + 1], cols = target.widths[i];
        const e = new Float64Array(rows * cols);
        for (let edge = 0; edge < pair.edgeCount; edge++) {
          const unit = pair.edgeUnit[edge], a = pair.edgeOutput[edge], b = pair.unitInput[unit];
          const error = Math.abs(pair.edgeU[edge] * pair.unitV[unit] - target.layers[i][a * cols + b]);
          e[a * cols + b] = Math.max(e[a * cols + b], error);
        }
        let frobenius2 = 0;
        for (const x of e) frobenius2 += x * x;
        expect(construction.layerErrors[i]).toBeCloseTo(Math.sqrt(frobenius2), 14);
        product *= 1 + Math.sqrt(frobenius2);
      });
      expect(Math.abs(construction.certifiedError - (product - 1))).toBeLessThanOrEqual(1e-14);
      expect(weightPrune.run(p, Streams.forSeed(hi, lo, seed))[1]).toBe(construction.certifiedError);
      expect(construction.certifiedError).toBeLessThanOrEqual(p.epsilon);
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });
});
