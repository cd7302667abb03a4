import { describe, it, expect } from 'vitest';
import { Streams, cellSeed } from '../../src/rng/streams.js';
import { weightPrune, weightPruneSeed, type WeightPruneParams } from '../../src/experiments/weight-prune.js';
import { denseForward } from '../../src/nn/dense.js';
import { sampledSupError, DEFAULT_SUP_SEARCH } from '../../src/nn/sup-error.js';
import { PrunedNet, PrunedPair } from '../../src/nn/sparse.js';
import { NormalSampler, drawSpherePoint } from '../../src/rng/ziggurat.js';

/** THEORY.md §5's construction, checked on its invariants seed by seed. */
function params(overrides: Partial<WeightPruneParams>): WeightPruneParams {
  return weightPrune.resolve({
    d: 3, n: 4, l: 2, out: 2, target: 'random', layout: 'private', k: 'theory', epsilon: 0.3, delta: 0.1,
    one_side: false, sampler: 'skip', method: 'pair', tau: null, ...overrides,
  }) as WeightPruneParams;
}

function streamsFor(label: string, seed: number): Streams {
  const [hi, lo] = cellSeed('construction-test', 'weight-prune', label);
  return Streams.forSeed(hi, lo, seed);
}

const configurations: [string, Partial<WeightPruneParams>][] = [
  ['private/skip', {}],
  ['private/scan', { sampler: 'scan' }],
  ['shared', { layout: 'shared' }],
  ['private/one-side', { one_side: true }],
  ['shared/one-side/worst', { layout: 'shared', one_side: true, target: 'worst', d: 4, n: 4 }],
  ['depth 3', { l: 3, d: 2, n: 3, out: 1 }],
  ['private/subset-sum', { method: 'subset-sum', sampler: 'scan', k: 48 }],
  ['shared/subset-sum', { method: 'subset-sum', layout: 'shared', k: 48 }],
];

describe('the pruned network is a subnetwork of the random one', () => {
  for (const [label, overrides] of configurations) {
    it(`${label}: kept weights equal G's weights as drawn from each block's stream`, () => {
      const p = params(overrides);
      for (let seed = 0; seed < 15; seed++) {
        const { construction, target } = weightPruneSeed(p, streamsFor(label, seed));
        expect(construction.prunedNet.depth).toBe(2 * p.l);
        construction.prunedNet.pairs.forEach((pair, i) => {
          const rows = target.widths[i + 1];
          for (let m = 0; m < pair.unitCount; m++) {
            const t = pair.unitIndex[m], block = pair.unitBlock[m];
            expect(Math.abs(pair.unitV[m])).toBeLessThanOrEqual(1);
            if (p.layout === 'shared') {
              // re-draw block b of layer i densely: unit t is (v, u_0 … u_{rows−1})
              const rng = streamsFor(label, seed).get('block', i, block);
              for (let s = 1; s < t; s++) for (let j = 0; j <= rows; j++) rng.weight();
              expect(pair.unitV[m]).toBe(rng.weight());
              const us = Array.from({ length: rows }, () => rng.weight());
              for (let e = 0; e < pair.edgeCount; e++) if (pair.edgeUnit[e] === m) expect(pair.edgeU[e]).toBe(us[pair.edgeOutput[e]]);
            } else if (p.sampler === 'scan') {
              const a = Math.floor(block / target.widths[i]), b = block % target.widths[i];
              const rng = streamsFor(label, seed).get('block', i, a, b);
              for (let s = 1; s < t; s++) { rng.weight(); rng.weight(); }
              const u = rng.weight(), v = rng.weight();
              expect(pair.unitV[m]).toBe(v);
              expect(pair.unitInput[m]).toBe(b);
              for (let e = 0; e < pair.edgeCount; e++) if (pair.edgeUnit[e] === m) { expect(pair.edgeU[e]).toBe(u); expect(pair.edgeOutput[e]).toBe(a); }
            }
          }
          for (let e = 0; e < pair.edgeCount; e++) expect(Math.abs(pair.edgeU[e])).toBeLessThanOrEqual(1);
        });
      }
    });
  }

  it('private blocks keep 4 weights per target weight (2 with one-side on layers ≥ 2); shared blocks keep fewer', () => {
    const N = 3 * 4 + 4 * 2;
    const privateRun = weightPruneSeed(params({}), streamsFor('count', 0)).construction;
    expect(privateRun.success).toBe(true);
    expect(privateRun.prunedNet.keptWeights).toBe(4 * N);
    const oneSide = weightPruneSeed(params({ one_side: true }), streamsFor('count', 0)).construction;
    expect(oneSide.prunedNet.keptWeights).toBe(4 * 12 + 2 * 8);
    let fewer = 0;
    for (let seed = 0; seed < 10; seed++) {
      const shared = weightPruneSeed(params({ layout: 'shared', k: 3000 }), streamsFor('count', seed)).construction;
      if (shared.success) {
        expect(shared.prunedNet.keptWeights).toBeLessThanOrEqual(4 * N);
        if (shared.prunedNet.keptWeights < 4 * N) fewer++;
      }
    }
    expect(fewer).toBeGreaterThan(0);
  });
});

describe('subset sums against the pair rule on identical draws', () => {
  it('with scanned blocks, subset-sum succeeds on every seed where the pair rule does (a pair is a subset)', () => {
    for (const layout of ['private', 'shared'] as const) {
      let pairOnly = 0, both = 0, subsetOnly = 0;
      for (let seed = 0; seed < 60; seed++) {
        const run = (method: 'pair' | 'subset-sum') =>
          weightPruneSeed(params({ layout, method, sampler: 'scan', k: 40, epsilon: 0.5, d: 2, n: 2, out: 1 }), streamsFor(`paired-${layout}`, seed)).construction;
        const pair = run('pair'), subset = run('subset-sum');
        if (pair.success && !subset.success) pairOnly++;
        if (pair.success && subset.success) both++;
        if (!pair.success && subset.success) subsetOnly++;
        if (pair.success) expect(subset.criticalWidth!).toBeLessThanOrEqual(pair.criticalWidth!);
      }
      expect(pairOnly).toBe(0);
      expect(subsetOnly).toBeGreaterThan(0);
      expect(both + subsetOnly).toBeGreaterThan(0);
    }
  });

  it('a per-weight tau replaces τ_i: every kept weight within tau, and no theorem width', () => {
    const p = params({ method: 'subset-sum', sampler: 'scan', k: 30, tau: 0.05 });
    expect(weightPrune.theoryWidth(p)).toBeNull();
    for (let seed = 0; seed < 10; seed++) {
      const { construction } = weightPruneSeed(p, streamsFor('tau', seed));
      for (const errors of construction.weightErrors) for (const e of errors) if (!Number.isNaN(e)) expect(e).toBeLessThanOrEqual(0.05);
    }
  });
});

describe('errors', () => {
  for (const [label, overrides] of configurations) {
    it(`${label}: on success ‖E_i‖_F ≤ ε/(2l), certified ≤ ε, sampled ≤ certified`, () => {
      const p = params(overrides);
      let successes = 0;
      for (let seed = 0; seed < 25; seed++) {
        const { construction, sampledError } = weightPruneSeed(p, streamsFor(label + '/err', seed));
        if (!construction.success) {
          expect(sampledError).toBeNull();
          continue;
        }
        successes++;
        for (const eta of construction.layerErrors) expect(eta).toBeLessThanOrEqual((p.epsilon / (2 * p.l)) * (1 + 1e-12));
        expect(construction.certifiedError).toBeLessThanOrEqual(p.epsilon);
        expect(sampledError!).toBeGreaterThan(0);
        expect(sampledError!).toBeLessThanOrEqual(construction.certifiedError);
      }
      expect(successes).toBeGreaterThan(15);
    });
  }

  it('a failing seed gives success 0 and empty error columns, never a crash', () => {
    const p = params({ k: 3 });
    for (let seed = 0; seed < 20; seed++) {
      const row = weightPrune.run(p, streamsFor('fail', seed));
      expect(row[0]).toBe(0);
      expect(row[1]).toBeNull();
      expect(row[2]).toBeNull();
      expect(row[4]).toBeLessThan(4 * 20); // only the weights that found their units keep any
      expect(row[7]).toBeLessThan(1); // weights_ok_fraction
      expect(row[3]).toBeGreaterThan(3); // critical width is still exact with skipping
    }
  });

  it('the error is measured on the pruned network itself', () => {
    const p = params({});
    const { construction, target, sampledError } = weightPruneSeed(p, streamsFor('measure', 1));
    expect(construction.success).toBe(true);
    const scratch: [Float64Array, Float64Array] = [new Float64Array(8), new Float64Array(8)];
    const f = (x: Float64Array, out: Float64Array) => denseForward(target, x, out, scratch);
    const measure = (g: (x: Float64Array, out: Float64Array) => void) =>
      sampledSupError(f, g, p.d, p.out, streamsFor('measure', 1).get('probe'), DEFAULT_SUP_SEARCH, new Float64Array(p.d));
    expect(measure((x, out) => construction.prunedNet.forward(x, out))).toBe(sampledError);
    expect(measure(f)).toBe(0); // Ḡ replaced by F
    const zeroed = new PrunedNet(construction.prunedNet.pairs.map((pair) => {
      const copy = new PrunedPair(pair.inputs, pair.outputs, pair.unitCount, pair.edgeCount);
      for (let m = 0; m < pair.unitCount; m++) copy.addUnit(pair.unitInput[m], 0, 0, 0);
      for (let e = 0; e < pair.edgeCount; e++) copy.addEdge(pair.edgeUnit[e], pair.edgeOutput[e], 0);
      return copy;
    }));
    const zeroedError = measure((x, out) => zeroed.forward(x, out)); // = sup ‖F‖ on the sphere
    expect(zeroedError).toBeGreaterThan(sampledError! + 0.05);
  });

  it('sparse evaluation equals the dense depth-2l network written out', () => {
    const p = params({ layout: 'shared', l: 3, d: 3, n: 4 });
    const { construction } = weightPruneSeed(p, streamsFor('dense', 2));
    expect(construction.success).toBe(true);
    const normals = new NormalSampler(streamsFor('dense', 99).get('x'));
    const x = new Float64Array(p.d), sparseOut = new Float64Array(p.out);
    for (let trial = 0; trial < 20; trial++) {
      drawSpherePoint(normals, x, 0, p.d);
      construction.prunedNet.forward(x, sparseOut);
      let h = Array.from(x);
      construction.prunedNet.pairs.forEach((pair, i) => {
        // M_{2i−1}: units × inputs, M_{2i}: outputs × units, dense
        const first = Array.from({ length: pair.unitCount }, (_, m) => Array.from({ length: pair.inputs }, (_, b) => (pair.unitInput[m] === b ? pair.unitV[m] : 0)));
        const second = Array.from({ length: pair.outputs }, () => new Array(pair.unitCount).fill(0));
        for (let e = 0; e < pair.edgeCount; e++) second[pair.edgeOutput[e]][pair.edgeUnit[e]] += pair.edgeU[e];
        const middle = first.map((row) => Math.max(0, row.reduce((s, w, b) => s + w * h[b], 0)));
        const outputs = second.map((row) => row.reduce((s, w, m) => s + w * middle[m], 0));
        h = i < construction.prunedNet.pairs.length - 1 ? outputs.map((z) => Math.max(0, z)) : outputs;
      });
      h.forEach((value, a) => expect(sparseOut[a]).toBeCloseTo(value, 12));
    }
  });
});
