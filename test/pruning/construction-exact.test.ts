/**
 * Issue 15 item 10: constructionExactProbability (THEORY.md §5, private blocks) is the product
 * over target weights of the per-weight formulas: the pair formula 1 − 2(1−q)^k + (1−2q)^k,
 * or the one-side formula 1 − (1−q)^k for layers ≥ 2 with one_side, q = p(w, τ_i)/2.
 */
import { describe, it, expect } from 'vitest';
import { constructionExactProbability, layerTolerance } from '../../src/pruning/construction-theory.js';
import { hitProbability } from '../../src/pruning/products.js';
import { sampleTarget } from '../../src/nn/target.js';
import { Streams, cellSeed } from '../../src/rng/streams.js';

/** The per-weight formulas written out with Math.pow (fine at these q and k: no cancellation). */
function productOfFormulas(widths: number[], layers: Float64Array[], eps: number, k: number, oneSide: boolean): number {
  let product = 1;
  layers.forEach((w, i) => {
    const tau = layerTolerance(widths, i, eps);
    expect(tau).toBe(eps / (2 * (widths.length - 1) * Math.sqrt(widths[i] * widths[i + 1])));
    for (const weight of w) {
      const q = hitProbability(weight, tau) / 2;
      product *= oneSide && i >= 1 ? 1 - Math.pow(1 - q, k) : 1 - 2 * Math.pow(1 - q, k) + Math.pow(1 - 2 * q, k);
    }
  });
  return product;
}

describe('constructionExactProbability', () => {
  it('one weight: the pair formula at q = p(w, τ)/2, τ = ε/2 for a 1 × 1 target', () => {
    const net = { widths: [1, 1], layers: [Float64Array.of(0.6)] };
    for (const k of [1, 10, 100, 1000]) {
      const q = hitProbability(0.6, 0.1 / 2) / 2;
      const expected = 1 - 2 * Math.pow(1 - q, k) + Math.pow(1 - 2 * q, k);
      expect(constructionExactProbability(net, 0.1, k, false)).toBeCloseTo(expected, 13);
    }
  });

  const [hi, lo] = cellSeed('test', 'weight-prune', 'exact-product');
  for (const [widths, k] of [[[3, 4, 2], 300], [[2, 2, 2, 1], 400], [[4, 1], 50]] as [number[], number][]) {
    for (const oneSide of [false, true]) {
      it(`${widths.join('-')} target, k = ${k}${oneSide ? ', one-side' : ''}: the product of the per-weight formulas`, () => {
        for (let seed = 0; seed < 5; seed++) {
          const net = sampleTarget('random', widths, Streams.forSeed(hi, lo, seed).get('target'));
          const expected = productOfFormulas(widths, net.layers, 0.3, k, oneSide);
          expect(expected).toBeGreaterThan(0.01);
          expect(expected).toBeLessThan(0.99);
          const got = constructionExactProbability(net, 0.3, k, oneSide);
          expect(Math.abs(got - expected)).toBeLessThanOrEqual(1e-12 * expected);
        }
      });
    }
  }

  it('a per-weight tau replaces τ_i in every layer', () => {
    const net = { widths: [2, 1], layers: [Float64Array.of(0.5, -0.25)] };
    const q = (w: number) => hitProbability(w, 0.05) / 2;
    const pair = (x: number) => 1 - 2 * Math.pow(1 - x, 200) + Math.pow(1 - 2 * x, 200);
    expect(constructionExactProbability(net, 0.3, 200, false, 0.05)).toBeCloseTo(pair(q(0.5)) * pair(q(-0.25)), 13);
  });
});
