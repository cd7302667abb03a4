/**
 * weight-lemma with `criterion: "global"` (THEORY.md §5b for one weight): success is the
 * pair formula where |w| > ε and certain where |w| ≤ ε (no unit is needed), so p̂ matches
 * ε + ∫_ε^1 pair(q(x), k) dx for w ~ U[−1, 1] within 4.5 SE, for both samplers; seed by seed
 * it contains per-weight success, with an error no larger.
 */
import { describe, it, expect } from 'vitest';
import { Streams, cellSeed } from '../../src/rng/streams.js';
import { weightLemma, type WeightLemmaParams } from '../../src/experiments/weight-lemma.js';
import { lemmaGlobalSuccessProbability, lemmaSuccessProbability } from '../../src/pruning/pair-rule-theory.js';
import { expectFraction } from '../support/stats.js';

const N = 20000;
const resolve = (o: Record<string, unknown>) =>
  weightLemma.resolve({ w: 'uniform', epsilon: 0.1, k: 20, delta: 0.1, sampler: 'skip', method: 'pair', criterion: 'global', ...o } as never) as WeightLemmaParams;

describe('weight-lemma, global criterion', () => {
  for (const sampler of ['skip', 'scan'] as const) {
    for (const k of [5, 20]) {
      it(`${sampler}, k = ${k}: p̂ matches ε + ∫_ε^1 pair dx; global ⊇ per-weight seed by seed with error ≤`, () => {
        const g = resolve({ sampler, k }), p = resolve({ sampler, k, criterion: 'per-weight' });
        const [h, l] = cellSeed('lemma-global', sampler, String(k));
        let successes = 0;
        for (let i = 0; i < N; i++) {
          const rg = weightLemma.run(g, Streams.forSeed(h, l, i)), rp = weightLemma.run(p, Streams.forSeed(h, l, i));
          successes += rg[0]!;
          expect(rg[2]).toBe(rp[2]); // the per-weight critical width, from the same draws
          if (rp[0] === 1) { expect(rg[0]).toBe(1); expect(rg[1]!).toBeLessThanOrEqual(rp[1]!); }
          expect(rg[0]).toBe(rg[6] !== null && rg[6] <= k ? 1 : 0);
          if (rg[0] === 1) expect(rg[1]!).toBeLessThanOrEqual(0.1 * (1 + 1e-12));
        }
        const exact = lemmaGlobalSuccessProbability('uniform', 0.1, k);
        expect(exact).toBeGreaterThan(lemmaSuccessProbability('uniform', 0.1, k));
        expectFraction(successes, N, exact, `P(global success at k = ${k})`);
      });
    }
  }

  it('|w| ≤ ε succeeds with no unit at any k (critical width 0)', () => {
    const g = resolve({ w: 0.05, k: 1 });
    const [h, l] = cellSeed('lemma-global', 'small-w', '');
    for (let i = 0; i < 200; i++) {
      const row = weightLemma.run(g, Streams.forSeed(h, l, i));
      expect(row[0]).toBe(1);
      expect(row[6]).toBe(0);
      expect(row[1]!).toBeLessThanOrEqual(0.05);
    }
  });
});
