import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { trainedPrune, trainedPruneSeed } from '../../src/experiments/trained-prune.js';
import type { PrunedNet } from '../../src/nn/sparse.js';
import { denseForwardBatch } from '../../src/nn/dense.js';
import { trainedTarget, argmaxColumns } from '../../src/models/trained-target.js';
import { FASHION_MNIST_DIR } from '../../src/data/dataset.js';
import { loadTrial } from '../../src/trial/load.js';
import { expandCells } from '../../src/trial/expand.js';
import { configHash, trialConfig } from '../../src/trial/config.js';
import { Streams } from '../../src/rng/streams.js';
import { ROOT, tempDir, writeTrial } from '../helpers/cli.js';

/**
 * The committed Fashion-MNIST targets (examples/targets/train.py): target_accuracy equals
 * PyTorch's recorded accuracy on the same points, to the image; the configuration hash
 * follows file contents, not paths.
 */
const recorded = JSON.parse(readFileSync(join(ROOT, 'examples/targets/accuracies.json'), 'utf8')) as {
  models: Record<string, { slice_correct: number; test_correct: number }>;
};
const models = Object.keys(recorded.models);
const slice = join(ROOT, 'data/fashion-mnist-slice');
const debian = existsSync(FASHION_MNIST_DIR);

describe('trained targets on Fashion-MNIST', () => {
  for (const name of models) {
    it(`${name}: target_accuracy on the committed 500-image slice is PyTorch's`, () => {
      const t = trainedTarget({ model: join(ROOT, 'examples/targets', name + '.onnx'), data: slice, split: 'test', dataPoints: null });
      expect(t.points).toBe(500);
      expect(Math.round(t.accuracy * 500)).toBe(recorded.models[name].slice_correct);
    });
    it.skipIf(!debian)(`${name}: target_accuracy on the 10 000 test images is PyTorch's${debian ? '' : ' (skipped: apt-get install -y dataset-fashion-mnist)'}`, () => {
      const t = trainedTarget({ model: join(ROOT, 'examples/targets', name + '.onnx'), data: 'fashion-mnist', split: 'test', dataPoints: null });
      expect(t.points).toBe(10000);
      expect(Math.round(t.accuracy * 10000)).toBe(recorded.models[name].test_correct);
    });
  }

  it('784-64-10 at k = "theory": every weight within τ_i, the pruned net run on the slice', () => {
    const p = trainedPrune.resolve({
      model: join(ROOT, 'examples/targets/fashion-784-64-10.onnx'), data: slice, split: 'test', data_points: 100, construction: 'product',
      layout: 'private', coefficients: 'uniform', method: 'pair', criterion: 'per-weight', k: 'theory', epsilon: { relative: 0.1 }, tau: null,
      sampler: 'skip', delta: 0.1,
    } as never);
    expect(p.k).toBe(p.theory_k);
    const row = trainedPrune.run(p, Streams.forSeed(3, 4, 0));
    const col = (name: string) => row[trainedPrune.columns.findIndex((c) => c.name === name)];
    expect(col('success')).toBe(1);
    expect(col('weights_ok_fraction')).toBe(1);
    expect(col('certified_error')!).toBeLessThanOrEqual(p.epsilon);
    expect(col('kept_per_weight')).toBe(4); // private blocks: 2 in-weights and 2 out-weights per target weight
    expect(col('agreement')).toBeGreaterThanOrEqual(col('certified_agreement')!);

    // pixels and the constant coordinate are ≥ 0, so on the data Ḡ is the target with perturbed
    // weights W′[a,b] = Σ of u·v over the kept v > 0 units of block (a, b): compare the two
    const seed = trainedPruneSeed(p, Streams.forSeed(3, 4, 0));
    const t = trainedTarget({ model: p.model, data: p.data, split: 'test', dataPoints: 100 });
    const net = seed.pruned.net as PrunedNet;
    const perturbed = {
      widths: t.normalized.net.widths,
      layers: net.pairs.map((pair) => {
        const w = new Float64Array(pair.outputs * pair.inputs);
        for (let e = 0; e < pair.edgeCount; e++) {
          const m = pair.edgeUnit[e];
          if (pair.unitV[m] > 0) w[pair.edgeOutput[e] * pair.inputs + pair.unitInput[m]] += pair.edgeU[e] * pair.unitV[m];
        }
        return w;
      }),
    };
    const width = Math.max(...perturbed.widths), out = new Float64Array(10 * t.points);
    denseForwardBatch(perturbed, t.inputs, t.points, out, [new Float64Array(width * t.points), new Float64Array(width * t.points)]);
    let scale = 0;
    for (const v of out) scale = Math.max(scale, Math.abs(v));
    for (let j = 0; j < out.length; j++) expect(Math.abs(seed.outputs[j] - out[j])).toBeLessThanOrEqual(1e-12 * scale);
    const accuracy = Array.from(argmaxColumns(out, 10, t.points)).filter((c, q) => c === t.labels[q]).length / t.points;
    expect(col('pruned_accuracy')).toBe(accuracy);
  });

  it('the configuration hash follows the model\'s contents, not its path', () => {
    const dir = tempDir();
    const model = join(ROOT, 'examples/targets/fixtures/tiny-gemm.onnx');
    copyFileSync(model, join(dir, 'a.onnx'));
    copyFileSync(model, join(dir, 'b.onnx'));
    writeFileSync(join(dir, 'x.npy'), Buffer.from(npy([4, 6], [...Array(24).keys()].map((v) => v / 10))));
    writeFileSync(join(dir, 'y.npy'), Buffer.from(npy([4], [0, 1, 2, 1])));
    const trial = (file: string) => ({
      name: 't', experiment: 'trained-prune', seeds: 1, delta: 0.1,
      params: { model: file, data: { images: 'x.npy', labels: 'y.npy' }, k: 10, construction: 'direct', method: 'subset-sum', tau: 0.05 },
    });
    const hash = (file: string) => {
      const t = loadTrial(writeTrial(dir, trial(file)));
      return configHash({ master_seed: 'm', trials: [trialConfig(t, expandCells(t))] });
    };
    const a = hash('a.onnx');
    expect(hash('b.onnx')).toBe(a);
    const bytes = readFileSync(join(dir, 'b.onnx'));
    bytes[bytes.length - 40] ^= 1; // inside the last initializer's data
    writeFileSync(join(dir, 'b.onnx'), bytes);
    expect(hash('b.onnx')).not.toBe(a);
  });
});

function npy(shape: number[], values: number[]): Uint8Array {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  while ((11 + header.length) % 64 !== 0) header += ' ';
  header += '\n';
  const out = new Uint8Array(10 + header.length + 8 * values.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  values.forEach((v, j) => view.setFloat64(10 + header.length + 8 * j, v, true));
  return out;
}
