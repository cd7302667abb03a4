/**
 * The global criterion (THEORY.md §5b) against the per-weight rule (§5) on the same draws,
 * seed by seed, for every layout, sampler and method:
 *   - dominance: global success ⊇ per-weight success, and on per-weight successes the
 *     global certified error is ≤ the per-weight one;
 *   - sampled error ≤ certified error on every seed (global measures every seed);
 *   - the global critical width K is exact: the seed fails at K − 1 and succeeds at K, and
 *     cells differing only in k (≥ K) report the same K; certified is non-increasing in k;
 *   - subset sums keep subsets at least as close as the best single unit (§7 ⊇ §4).
 */
import { describe, it, expect } from 'vitest';
import { Streams, cellSeed } from '../../src/rng/streams.js';
import { weightPrune, weightPruneSeed, type WeightPruneParams } from '../../src/experiments/weight-prune.js';

function params(overrides: Partial<WeightPruneParams>): WeightPruneParams {
  return weightPrune.resolve({
    d: 2, n: 3, l: 2, out: 1, target: 'random', layout: 'private', k: 300, epsilon: 0.3, delta: 0.1,
    one_side: false, sampler: 'skip', method: 'pair', tau: null, criterion: 'per-weight', ...overrides,
  }) as WeightPruneParams;
}

function streamsFor(label: string, seed: number): Streams {
  const [hi, lo] = cellSeed('global-criterion-test', 'weight-prune', label);
  return Streams.forSeed(hi, lo, seed);
}

const configurations: [string, Partial<WeightPruneParams>, number][] = [
  ['private/skip', {}, 120],
  ['private/skip/one-side', { one_side: true }, 120],
  ['private/scan', { sampler: 'scan' }, 60],
  ['shared', { layout: 'shared', k: 600 }, 60],
  ['shared/one-side', { layout: 'shared', one_side: true, k: 600 }, 60],
  ['private/subset-sum', { method: 'subset-sum', sampler: 'scan', k: 14, epsilon: 0.5 }, 25],
  ['shared/subset-sum/one-side', { method: 'subset-sum', layout: 'shared', one_side: true, k: 14, epsilon: 0.5 }, 25],
];

describe('global vs per-weight on the same draws (THEORY.md §5b)', () => {
  for (const [label, overrides, seeds] of configurations) {
    it(`${label}: global ⊇ per-weight success, certified_global ≤ certified_per-weight, sampled ≤ certified, same per-weight outcome`, () => {
      const pw = params(overrides), gl = params({ ...overrides, criterion: 'global' });
      let perWeightOnly = 0, globalOnly = 0, both = 0;
      for (let seed = 0; seed < seeds; seed++) {
        const a = weightPruneSeed(pw, streamsFor(label, seed)), b = weightPruneSeed(gl, streamsFor(label, seed));
        const p = a.construction, g = b.construction;
        expect(g.perWeightSuccess).toBe(p.success);
        expect(g.criticalWidth).toBe(p.criticalWidth);
        expect(g.weightsOk).toBe(p.weightsOk);
        expect(g.success).toBe(g.certifiedError <= gl.epsilon);
        expect(b.sampledError).not.toBeNull();
        expect(b.sampledError!).toBeLessThanOrEqual(g.certifiedError);
        expect(g.success).toBe(g.globalCriticalWidth !== null && g.globalCriticalWidth <= gl.k);
        if (p.success) {
          expect(g.success).toBe(true);
          expect(g.certifiedError).toBeLessThanOrEqual(p.certifiedError);
          both++;
        }
        if (p.success && !g.success) perWeightOnly++;
        if (!p.success && g.success) globalOnly++;
      }
      expect(perWeightOnly).toBe(0);
      expect(globalOnly + both).toBeGreaterThan(0);
    });
  }

  it('the global criterion succeeds on seeds where the per-weight rule fails (it is strictly weaker here)', () => {
    let globalOnly = 0;
    for (let seed = 0; seed < 60; seed++) {
      const p = weightPruneSeed(params({ k: 150 }), streamsFor('weaker', seed)).construction;
      const g = weightPruneSeed(params({ k: 150, criterion: 'global' }), streamsFor('weaker', seed)).construction;
      if (!p.success && g.success) globalOnly++;
    }
    expect(globalOnly).toBeGreaterThan(10);
  });
});

describe('global critical width (exact per seed)', () => {
  for (const [label, overrides, seeds] of configurations) {
    it(`${label}: fails at K − 1, succeeds at K, the same K in every cell with k ≥ K, certified non-increasing in k`, () => {
      const base = params({ ...overrides, criterion: 'global' });
      let checked = 0;
      for (let seed = 0; seed < Math.min(seeds, 25); seed++) {
        const full = weightPruneSeed(base, streamsFor(`${label}/width`, seed)).construction;
        const K = full.globalCriticalWidth;
        if (K === null) continue;
        checked++;
        const at = (k: number) => weightPruneSeed({ ...base, k }, streamsFor(`${label}/width`, seed)).construction;
        const atK = at(K);
        expect(atK.success).toBe(true);
        expect(atK.globalCriticalWidth).toBe(K);
        if (K > 0) {
          const before = at(K - 1);
          expect(before.success).toBe(false);
          expect(before.globalCriticalWidth).toBeNull();
          expect(before.certifiedError).toBeGreaterThanOrEqual(atK.certifiedError);
        }
        const middle = at(Math.floor((K + base.k) / 2));
        expect(middle.globalCriticalWidth).toBe(K);
        expect(middle.certifiedError).toBeGreaterThanOrEqual(full.certifiedError);
        expect(middle.certifiedError).toBeLessThanOrEqual(atK.certifiedError);
      }
      expect(checked).toBeGreaterThan(3);
    });
  }
});

describe('global kept units are a subnetwork of G', () => {
  it('private/scan and shared: every kept weight is the drawn one; a side keeps no unit only when |w| is at least as close', () => {
    for (const layout of ['private', 'shared'] as const) {
      const p = params({ layout, sampler: 'scan', k: 200, criterion: 'global' });
      for (let seed = 0; seed < 10; seed++) {
        const { construction, target } = weightPruneSeed(p, streamsFor(`sub-${layout}`, seed));
        construction.prunedNet.pairs.forEach((pair, i) => {
          const rows = target.widths[i + 1], cols = target.widths[i];
          for (let m = 0; m < pair.unitCount; m++) {
            const t = pair.unitIndex[m], block = pair.unitBlock[m];
            expect(t).toBeLessThanOrEqual(p.k);
            if (layout === 'private') {
              const rng = streamsFor(`sub-${layout}`, seed).get('block', i, Math.floor(block / cols), block % cols);
              for (let s = 1; s < t; s++) { rng.weight(); rng.weight(); }
              const u = rng.weight(), v = rng.weight();
              expect(pair.unitV[m]).toBe(v);
              for (let e = 0; e < pair.edgeCount; e++) if (pair.edgeUnit[e] === m) expect(pair.edgeU[e]).toBe(u);
            } else {
              const rng = streamsFor(`sub-${layout}`, seed).get('block', i, block);
              for (let s = 1; s < t; s++) for (let j = 0; j <= rows; j++) rng.weight();
              expect(pair.unitV[m]).toBe(rng.weight());
              const us = Array.from({ length: rows }, () => rng.weight());
              for (let e = 0; e < pair.edgeCount; e++) if (pair.edgeUnit[e] === m) expect(pair.edgeU[e]).toBe(us[pair.edgeOutput[e]]);
            }
          }
          // e_ab ≤ |w| always (no unit is the fallback)
          const w = target.layers[i];
          construction.weightErrors[i].forEach((e, j) => expect(e).toBeLessThanOrEqual(Math.abs(w[j])));
        });
      }
    }
  });
});

describe('subset sums vs the pair rule under the global criterion', () => {
  it('on identical scanned draws, the closest subset sums are at least as close as the best single units (certified and success)', () => {
    for (const layout of ['private', 'shared'] as const) {
      for (let seed = 0; seed < 20; seed++) {
        const run = (method: 'pair' | 'subset-sum') =>
          weightPruneSeed(params({ layout, method, sampler: 'scan', k: 14, epsilon: 0.5, criterion: 'global' }), streamsFor(`ss-${layout}`, seed)).construction;
        const pair = run('pair'), subset = run('subset-sum');
        pair.weightErrors.forEach((errors, i) => errors.forEach((e, j) => expect(subset.weightErrors[i][j]).toBeLessThanOrEqual(e)));
        expect(subset.certifiedError).toBeLessThanOrEqual(pair.certifiedError);
        if (pair.success) expect(subset.success).toBe(true);
      }
    }
  });
});
