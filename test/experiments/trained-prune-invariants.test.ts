import { describe, it, expect, beforeAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { trainedPrune, trainedPruneSeed, perturbationCertificate, type TrainedPruneParams } from '../../src/experiments/trained-prune.js';
import { trainedTarget, argmaxColumns } from '../../src/models/trained-target.js';
import { encodeSafetensors } from '../../src/models/safetensors.js';
import { encodeIdxUint8 } from '../../src/data/idx.js';
import { prunedForwardChunked } from '../../src/nn/chunked-forward.js';
import type { PrunedNet } from '../../src/nn/sparse.js';
import { Streams } from '../../src/rng/streams.js';
import { Rng } from '../../src/rng/rng.js';
import { tempDir } from '../helpers/cli.js';

/**
 * Invariants of trained-prune on a generated 6-5-3 target with biases and 60 generated
 * points: every kept weight is the drawn random weight, data errors ≤ certified, Ḡ equals
 * its two-sided dense form, zeroed kept weights fall to the class-0 share, and the direct
 * construction's certificate and critical width.
 */
const dir = tempDir();
const rng = new Rng(11, 12);
const widths = [6, 5, 3];
let base: Record<string, unknown>;

beforeAll(() => {
  const tensors: Record<string, { shape: number[]; values: number[] }> = {};
  widths.slice(1).forEach((rows, i) => {
    tensors[`${i}.weight`] = { shape: [rows, widths[i]], values: Array.from({ length: rows * widths[i] }, () => rng.weight()) };
    tensors[`${i}.bias`] = { shape: [rows], values: Array.from({ length: rows }, () => 0.3 * rng.weight()) };
  });
  writeFileSync(join(dir, 'tiny.safetensors'), encodeSafetensors(tensors));
  writeFileSync(join(dir, 'x.idx'), encodeIdxUint8([60, 6], Array.from({ length: 360 }, () => Math.floor(256 * rng.next()))));
  writeFileSync(join(dir, 'y.idx'), encodeIdxUint8([60], Array.from({ length: 60 }, () => Math.floor(3 * rng.next()))));
  base = {
    model: join(dir, 'tiny.safetensors'), data: JSON.stringify({ images: join(dir, 'x.idx'), labels: join(dir, 'y.idx') }),
    split: 'test', data_points: null, construction: 'product', layout: 'private', coefficients: 'uniform', method: 'pair',
    criterion: 'per-weight', k: 40, epsilon: { relative: 0.5 }, tau: null, sampler: 'scan', delta: 0.1,
  };
});

const resolve = (over: Record<string, unknown>) => trainedPrune.resolve({ ...base, ...over } as never) as TrainedPruneParams;
const col = (name: string) => trainedPrune.columns.findIndex((c) => c.name === name);

/** Ḡ computed as dense two-sided layers: out_a = Σ_b P⁺[a,b]·σ(x_b) − P⁻[a,b]·σ(−x_b) with P± the sums of kept u·v. */
function twoSidedForward(net: PrunedNet, X: Float64Array, P: number): Float64Array {
  let input = X;
  net.pairs.forEach((pair, i) => {
    const plus = new Float64Array(pair.outputs * pair.inputs), minus = new Float64Array(pair.outputs * pair.inputs);
    for (let e = 0; e < pair.edgeCount; e++) {
      const m = pair.edgeUnit[e], v = pair.unitV[m], j = pair.edgeOutput[e] * pair.inputs + pair.unitInput[m];
      if (v > 0) plus[j] += pair.edgeU[e] * v; else minus[j] += pair.edgeU[e] * v;
    }
    const out = new Float64Array(pair.outputs * P);
    for (let a = 0; a < pair.outputs; a++) {
      for (let p = 0; p < P; p++) {
        let s = 0;
        for (let b = 0; b < pair.inputs; b++) {
          const x = input[b * P + p], j = a * pair.inputs + b;
          s += plus[j] * Math.max(x, 0) - minus[j] * Math.max(-x, 0);
        }
        out[a * P + p] = i < net.pairs.length - 1 ? Math.max(s, 0) : s;
      }
    }
    input = out;
  });
  return input;
}

describe('trained-prune invariants (generated 6-5-3 target with biases)', () => {
  it('resolve: relative ε is r × max |F̂(x̂)|, S·ε is reported, the files are hashed', () => {
    const p = resolve({});
    const t = trainedTarget({ model: p.model, data: p.data, split: 'test', dataPoints: null });
    expect(p.epsilon).toBe(0.5 * t.maxAbsOutput);
    expect(p.epsilon_original).toBe(p.scale * p.epsilon);
    expect(p.scale).toBe(t.normalized.S);
    expect(p.model_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(p.data_points).toBe(60);
  });

  for (const [layout, method] of [['private', 'pair'], ['shared', 'pair'], ['private', 'subset-sum'], ['shared', 'subset-sum']] as const) {
    it(`${layout} ${method}: kept weights are the drawn ones, Ḡ equals its two-sided form, data error ≤ certified`, () => {
      const p = resolve({ layout, method, k: method === 'pair' ? 40 : 10 });
      const t = trainedTarget({ model: p.model, data: p.data, split: 'test', dataPoints: null });
      let failures = 0;
      for (let seed = 0; seed < 6; seed++) {
        const streams = Streams.forSeed(5, 6, seed);
        const result = trainedPruneSeed(p, streams);
        if (!result.success) failures++;
        expect(result.pruned.kind).toBe('product');
        const net = result.pruned.net as PrunedNet;
        net.pairs.forEach((pair, i) => {
          for (let m = 0; m < pair.unitCount; m++) {
            const t1 = pair.unitIndex[m], b = pair.unitInput[m], block = pair.unitBlock[m];
            // redraw the block's stream up to the unit: its v, and the u of every kept edge leaving it
            const units = layout === 'private' ? streams.get('block', i, Math.floor(block / pair.inputs), b) : streams.get('block', i, b);
            let v = 0;
            const us = new Float64Array(pair.outputs);
            for (let s = 1; s <= t1; s++) {
              if (layout === 'private') { us[0] = units.weight(); v = units.weight(); } else { v = units.weight(); for (let a = 0; a < pair.outputs; a++) us[a] = units.weight(); }
            }
            expect(pair.unitV[m]).toBe(v);
            for (let e = 0; e < pair.edgeCount; e++) {
              if (pair.edgeUnit[e] !== m) continue;
              expect(pair.edgeU[e]).toBe(layout === 'private' ? us[0] : us[pair.edgeOutput[e]]);
            }
          }
        });
        const dense = twoSidedForward(net, t.inputs, t.points);
        for (let j = 0; j < dense.length; j++) expect(result.outputs[j]).toBeCloseTo(dense[j], 12);
        const row = trainedPrune.run(p, streams);
        expect(row[col('data_max_error')]!).toBeLessThanOrEqual(row[col('certified_error')]! * (1 + 1e-9));
        expect(row[col('sampled_error')]!).toBeLessThanOrEqual(row[col('certified_error')]! * (1 + 1e-9));
        expect(row[col('success')]).toBe(result.success ? 1 : 0);
        if (result.success) expect(row[col('certified_error')]!).toBeLessThanOrEqual(p.epsilon);
      }
      expect(failures).toBeGreaterThan(0); // k is small enough that the best-unit completion is exercised
    });
  }

  it('zeroing every kept weight makes Ḡ output 0: accuracy falls to the share of class 0', () => {
    const p = resolve({ k: 2000, sampler: 'skip' });
    const t = trainedTarget({ model: p.model, data: p.data, split: 'test', dataPoints: null });
    const result = trainedPruneSeed(p, Streams.forSeed(1, 1, 0));
    const net = result.pruned.net as PrunedNet;
    for (const pair of net.pairs) pair.edgeU.fill(0);
    const out = new Float64Array(3 * t.points);
    prunedForwardChunked(net, t.inputs, t.points, out);
    const predictions = argmaxColumns(out, 3, t.points);
    const accuracy = predictions.filter((c, p) => c === t.labels[p]).length / t.points;
    expect(accuracy).toBe(t.labels.filter((y) => y === 0).length / t.points);
  });

  it('direct: certified is the perturbation certificate; success at the critical width, failure just below it', () => {
    const over = { construction: 'direct', method: 'subset-sum', tau: 0.02, coefficients: 'target-range' };
    const p = resolve({ ...over, k: 16 });
    const t = trainedTarget({ model: p.model, data: p.data, split: 'test', dataPoints: null });
    let checked = 0;
    for (let seed = 0; seed < 5; seed++) {
      const streams = Streams.forSeed(7, 8, seed);
      const result = trainedPruneSeed(p, streams);
      expect(result.certifiedError).toBe(perturbationCertificate(t.normalized.net, result.pruned.net as never));
      const row = trainedPrune.run(p, streams);
      expect(row[col('data_max_error')]!).toBeLessThanOrEqual(row[col('certified_error')]! * (1 + 1e-9));
      const critical = row[col('critical_width')];
      if (critical === null || critical < 2) continue;
      expect(trainedPruneSeed(resolve({ ...over, k: critical }), streams).success).toBe(true);
      expect(trainedPruneSeed(resolve({ ...over, k: critical - 1 }), streams).success).toBe(false);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('a failed per-weight seed is measured on the global criterion\'s subnetwork of the same draws', () => {
    const p = resolve({ k: 40 }), g = resolve({ k: 40, criterion: 'global' });
    for (let seed = 0; seed < 4; seed++) {
      const streams = Streams.forSeed(2, 2, seed);
      const perWeight = trainedPruneSeed(p, streams), global = trainedPruneSeed(g, streams);
      if (perWeight.success) continue;
      expect(Array.from(perWeight.outputs)).toEqual(Array.from(global.outputs));
      expect(perWeight.certifiedError).toBe(global.certifiedError);
      expect(perWeight.keptWeights).toBe(global.keptWeights);
    }
  });

  it('direct needs method subset-sum and a tau', () => {
    expect(() => resolve({ construction: 'direct', method: 'pair', tau: 0.01 })).toThrow(/construction "direct" needs method "subset-sum"/);
    expect(() => resolve({ construction: 'direct', method: 'subset-sum', k: 8 })).toThrow(/construction "direct" needs tau/);
    expect(() => resolve({ construction: 'direct', method: 'subset-sum', k: 8, tau: 0.1, criterion: 'global' })).toThrow(/criterion "global" applies to construction "product"/);
  });
});
